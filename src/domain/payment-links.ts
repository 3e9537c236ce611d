// The pay link printed on an invoice, its e-mail, a reminder and the receipt page: the receipt
// token serves both links, so whoever holds the invoice can pay it online.

export const payUrlOf = (publicUrl: string, receiptToken: string) => `${publicUrl}/pay/${receiptToken}`;
