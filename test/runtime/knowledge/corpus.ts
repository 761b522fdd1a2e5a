// Real documents for knowledge tests, generated on disk: a 3-page PDF (pdf-lib), a DOCX (docx), Markdown, code,
// text, CSV and HTML, plus broken inputs (encrypted and corrupt PDFs, a broken DOCX, binary data, symlink loops).
import fs from 'node:fs';
import path from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const PDF_PAGES = [
  ['Employee Handbook', 'Welcome to Northwind. This handbook describes the policies that apply to every employee.', 'Working hours are flexible between 7 and 19 o clock.'],
  ['Parental leave', 'Employees receive sixteen weeks of paid parental leave after the birth or adoption of a child.', 'Leave may be split into two blocks within the first year.'],
  ['Expenses', 'Expense reimbursement requires receipts submitted within thirty days of the purchase.', 'Travel above 500 euros needs approval from a manager in advance.'],
];

export async function writePdf(file: string, pages: string[][] = PDF_PAGES): Promise<void> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 40, y: 780 - i * 40, size: 11, font }));
  }
  fs.writeFileSync(file, await pdf.save());
}

export async function writeDocx(file: string): Promise<void> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Master Services Agreement', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Termination', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Either party may terminate this agreement with ninety days written notice to the other party.'),
          new Paragraph({ text: 'Liability', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('The total liability of the supplier is capped at the fees paid in the twelve months before the claim.'),
        ],
      },
    ],
  });
  fs.writeFileSync(file, await Packer.toBuffer(doc));
}

export const RUNBOOK = `# Operations runbook

Everything the on-call engineer needs.

## Restarting the ingest worker

When the queue backs up, restart the ingest worker with
\`systemctl restart ingest-worker\` and watch the lag graph for ten minutes.

## Rotating certificates

Certificates expire every ninety days. Renew them with the certbot timer.
`;

export const RETRY_TS = `// Retry helpers.
export function backoffDelay(attempt: number, baseMs = 100): number {
  // exponential backoff with full jitter
  const cap = Math.min(30_000, baseMs * 2 ** attempt);
  return Math.random() * cap;
}

export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}
`;

export const HTML = `<html><body><h1>Cafeteria</h1><p>The cafeteria serves vegetarian lasagna every Thursday.</p><h2>Opening hours</h2><p>Open from eleven to two on weekdays.</p></body></html>`;

/** A PDF whose trailer asks for the standard security handler with a password nobody knows. */
export const ENCRYPTED_PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
4 0 obj << /Filter /Standard /V 1 /R 2 /O <${'7a'.repeat(32)}> /U <${'3c'.repeat(32)}> /P -4 >> endobj
trailer << /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>
%%EOF
`;

/** The good documents of a folder, and which question finds which passage. */
export async function writeCorpus(dir: string): Promise<void> {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  await writePdf(path.join(dir, 'handbook.pdf'));
  await writeDocx(path.join(dir, 'contract.docx'));
  fs.writeFileSync(path.join(dir, 'runbook.md'), RUNBOOK);
  fs.writeFileSync(path.join(dir, 'src', 'retry.ts'), RETRY_TS);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'Standup is at 9:30.\n\nThe wifi password for guests is printed at the reception desk.\n');
  fs.writeFileSync(path.join(dir, 'budget.csv'), 'team,quarter,budget\nplatform,Q1,120000\nsearch,Q1,80000\n');
  fs.writeFileSync(path.join(dir, 'cafeteria.html'), HTML);
}

export function writeBrokenFiles(dir: string): void {
  fs.writeFileSync(path.join(dir, 'locked.pdf'), ENCRYPTED_PDF);
  fs.writeFileSync(path.join(dir, 'corrupt.pdf'), '%PDF-1.7\nthis is not really a pdf\n');
  fs.writeFileSync(path.join(dir, 'broken.docx'), Buffer.from('PK\u0003\u0004 not a zip at all'));
  fs.writeFileSync(path.join(dir, 'blob.dat'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]));
  fs.writeFileSync(path.join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  fs.writeFileSync(path.join(dir, 'huge.log'), 'x'.repeat(40_000));
  fs.symlinkSync('..', path.join(dir, 'src', 'loop'));
  fs.symlinkSync('/etc/hostname', path.join(dir, 'outside.txt'));
}
