import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What n8n's Extract from File (PDF) outputs: page counts, the document's info and metadata, and its text. */
export interface PdfContent {
  numpages: number;
  numrender: number;
  info: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  text: string;
  version: string;
}

/**
 * The text of a PDF, page by page, with pdf.js (the library n8n reads PDFs with), without workers, fonts from the
 * network or script: only text is taken out. `maxPages` bounds the work on a huge document.
 */
export async function pdfContent(
  bytes: Buffer,
  options: { password?: string; maxPages?: number; joinPages?: boolean } = {},
): Promise<PdfContent> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    ...(options.password ? { password: options.password } : {}),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const document = await task.promise;
  try {
    const last = options.maxPages ? Math.min(options.maxPages, document.numPages) : document.numPages;
    const pages: string[] = [];
    for (let number = 1; number <= last; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const entry of content.items) {
        if (!('str' in entry)) continue;
        text += entry.str + (entry.hasEOL ? '\n' : '');
      }
      pages.push(text);
      page.cleanup();
    }
    const meta = await document.getMetadata().catch(() => undefined);
    return {
      numpages: document.numPages,
      numrender: last,
      info: (meta?.info ?? {}) as Record<string, unknown>,
      metadata: (meta?.metadata as unknown as { getAll?: () => Record<string, unknown> } | null)?.getAll?.() ?? null,
      text: options.joinPages === false ? pages.join('') : pages.join('\n\n'),
      version: String((meta?.info as { PDFFormatVersion?: string } | undefined)?.PDFFormatVersion ?? ''),
    };
  } finally {
    await task.destroy();
  }
}
