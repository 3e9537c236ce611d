// What the collections buttons answer once their service ran.
export function reminderNowText(result: { alreadyDone: boolean; level: number }): string {
  return result.alreadyDone
    ? `Reminder #${result.level} already went today: nothing sent again.`
    : `:email: Reminder #${result.level} is on its way to the client.`;
}
