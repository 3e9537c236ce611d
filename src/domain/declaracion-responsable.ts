// The producer's declaración responsable of the invoicing system (RD 1007/2023 art. 13, Orden
// HAC/1177/2024 art. 15.1): its items a) to l) in the order the Orden lists them, for one version.
export const DECLARACION_TITLE = "DECLARACIÓN RESPONSABLE DEL SISTEMA INFORMÁTICO DE FACTURACIÓN";

export type DeclaracionInput = {
  system: { name: string; id: string; version: string };
  producer: { name: string; nif: string; address: string };
  /** Day and place of signature of this version's declaration. */
  signed: { date: string; place: string };
};

export type DeclaracionItem = { letter: string; label: string; value: string };
export type Declaracion = { title: string; items: DeclaracionItem[] };

const MONTHS = [
  "enero",
  "febrero",
  "marzo",
  "abril",
  "mayo",
  "junio",
  "julio",
  "agosto",
  "septiembre",
  "octubre",
  "noviembre",
  "diciembre",
];

export function buildDeclaracionResponsable(input: DeclaracionInput): Declaracion {
  const [year, month, day] = input.signed.date.split("-").map(Number);
  const signedOn = `${day} de ${MONTHS[(month ?? 1) - 1]} de ${year}`;
  const items: [string, string, string][] = [
    ["a", "Nombre del sistema informático", input.system.name],
    ["b", "Código identificador del sistema informático", input.system.id],
    ["c", "Identificador completo de la versión", input.system.version],
    [
      "d",
      "Componentes hardware y software y descripción de su funcionalidad",
      "Aplicación de Slack y de línea de órdenes escrita en TypeScript para Node.js 20, con base de datos PostgreSQL o PGlite embebida, que se ejecuta en el servidor de quien la opera; sin hardware propio. Emite facturas de hitos y de horas con numeración correlativa sin huecos; genera en la misma transacción el registro de facturación de alta (o de anulación) encadenado con huella SHA-256, imprime el código QR y la leyenda «VERI*FACTU», remite los registros a la AEAT, los exporta por periodos y verifica la cadena a diario.",
    ],
    [
      "e",
      "Si funciona exclusivamente como VERI*FACTU",
      "Sí: solo funciona como sistema VERI*FACTU (TipoUsoPosibleSoloVerifactu = S).",
    ],
    [
      "f",
      "Si permite su uso por varios obligados tributarios",
      "Sí (TipoUsoPosibleMultiOT = S): cada obligado tributario (NIF) tiene su propia cadena de registros y su propia remisión.",
    ],
    [
      "g",
      "Tipos de firma utilizados cuando no funciona como VERI*FACTU",
      "No aplica: el sistema no funciona fuera de la modalidad VERI*FACTU y no firma los registros.",
    ],
    ["h", "Nombre o razón social del productor", input.producer.name],
    ["i", "NIF del productor", input.producer.nif],
    ["j", "Dirección postal completa del productor", input.producer.address],
    [
      "k",
      "Declaración de cumplimiento",
      `El productor declara que el sistema informático de facturación ${input.system.name}, en su versión ${input.system.version}, cumple con lo dispuesto en el artículo 29.2.j) de la Ley 58/2003, de 17 de diciembre, General Tributaria, en el Reglamento aprobado por el Real Decreto 1007/2023, de 5 de diciembre, en la Orden HAC/1177/2024, de 17 de octubre, y en las especificaciones técnicas publicadas en la sede electrónica de la Agencia Estatal de Administración Tributaria.`,
    ],
    ["l", "Fecha y lugar de la firma", `${signedOn}, ${input.signed.place}`],
  ];
  return {
    title: DECLARACION_TITLE,
    items: items.map(([letter, label, value]) => ({ letter, label, value })),
  };
}
