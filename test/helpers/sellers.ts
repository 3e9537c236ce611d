// Seller identities for invoices in tests: a French SAS with every mention the law asks for.
export const FR_SELLER = {
  legalName: "Atelier Durand SAS",
  legalForm: "SAS",
  shareCapital: "10 000 €",
  rcs: "RCS Paris 123 456 789",
  siren: "123456789",
  vatId: "FR32123456789",
  address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
  iban: "FR7630006000011234567890189",
  bic: "AGRIFRPP",
};
