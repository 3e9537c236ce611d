// What the collections buttons answer once their service ran.
export function reminderNowText(result: { alreadyDone: boolean; level: number }): string {
  return result.alreadyDone
    ? `Reminder #${result.level} already went today: nothing sent again.`
    : `:email: Reminder #${result.level} is on its way to the client.`;
}

export const OUT_OF_DATE = "This button is out of date: use the newest message.";

export function assignedText(result: { alreadyDone: boolean }): string {
  return result.alreadyDone
    ? "You already collect this invoice."
    : ":raising_hand: You now collect this invoice.";
}

export function formalNoticeText(result: { alreadyDone: boolean }): string {
  return result.alreadyDone
    ? "The formal notice was already approved: nothing sent again."
    : ":scales: Formal notice approved and on its way to the client.";
}
