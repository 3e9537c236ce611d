// What turns a PDF into a Factur-X (profile EN 16931): PDF/A-3b (pdfkit writes the pdfaid XMP, the
// sRGB output intent and the PDF 1.7 metadata stream), the CII XML attached as factur-x.xml and
// declared as the document's associated file, and the Factur-X XMP extension schema that says so.

export const FACTURX_FILENAME = "factur-x.xml";
export const FACTURX_CONFORMANCE = "EN 16931";
const FX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/** The CII to embed and the day it was made (the embedded file's dates). */
export type FacturXAttachment = { xml: string; issueDate: string };

/** The PDFKit options a Factur-X needs on top of a plain document's. */
export const FACTURX_PDF_OPTIONS = { pdfVersion: "1.7", subset: "PDF/A-3b" } as const;

export function embedFacturX(doc: PDFKit.PDFDocument, attachment: FacturXAttachment): void {
  const date = new Date(`${attachment.issueDate}T00:00:00Z`);
  doc.file(Buffer.from(attachment.xml, "utf8"), {
    name: FACTURX_FILENAME,
    type: "text/xml",
    description: "Factur-X invoice (CII, EN 16931)",
    // The XML carries the same figures as the page and is the part a machine reads (Factur-X 1.0).
    relationship: "Data",
    creationDate: date,
    modifiedDate: date,
  } as PDFKit.Mixins.PDFAttachmentOptions);
  (doc as unknown as { appendXML(xml: string): void }).appendXML(FACTURX_XMP);
}

const property = (name: string, description: string) => `
        <rdf:li rdf:parseType="Resource">
          <pdfaProperty:name>${name}</pdfaProperty:name>
          <pdfaProperty:valueType>Text</pdfaProperty:valueType>
          <pdfaProperty:category>external</pdfaProperty:category>
          <pdfaProperty:description>${description}</pdfaProperty:description>
        </rdf:li>`;

const FACTURX_XMP = `
    <rdf:Description xmlns:fx="${FX_NAMESPACE}" rdf:about="">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${FACTURX_CONFORMANCE}</fx:ConformanceLevel>
    </rdf:Description>
    <rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FX_NAMESPACE}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property("DocumentFileName", "The name of the embedded XML document")}${property("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")}${property("Version", "The actual version of the standard applying to the embedded XML document")}${property("ConformanceLevel", "The conformance level of the embedded XML document")}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
`;
