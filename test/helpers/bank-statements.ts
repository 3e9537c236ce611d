// Bank statements for tests: a camt.053.001.08 of booked credits on 2026-11-20 into one account.

export type CamtCredit = { amount: string; ref: string; payer: string; iban?: string; text: string };

export function camt053(credits: readonly CamtCredit[]): Buffer {
  const entries = credits
    .map(
      (c) => `
      <Ntry>
        <Amt Ccy="EUR">${c.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>${c.ref}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>${c.payer}</Nm></Pty></Dbtr>${c.iban ? `<DbtrAcct><Id><IBAN>${c.iban}</IBAN></Id></DbtrAcct>` : ""}</RltdPties>
          <RmtInf><Ustrd>${c.text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join("");
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
  <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>S</Id><Acct><Id><IBAN>ES7620770024003102575766</IBAN></Id></Acct>${entries}
  </Stmt></BkToCstmrStmt></Document>`);
}
