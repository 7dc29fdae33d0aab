import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../types.ts';
import { itemsOut, runNode } from '../test-support.ts';
import { convertToFileNode } from './convert-to-file.ts';
import { extractFromFileNode } from './extract-from-file.ts';
import { spreadsheetFileNode } from './spreadsheet-file.ts';

/** A one-page PDF whose page shows `lines`, built by hand (objects, a content stream and a correct xref table). */
function minimalPdf(lines: string[]): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((line) => `(${line.replace(/[()\\]/g, '\\$&')}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Title (Quarterly report) /Producer (flowgate tests) >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const rows: Item[] = [{ json: { name: 'Ada', year: 1815, tags: ['math'] } }, { json: { name: 'Grace, "Amazing"', year: 1906 } }];

async function convert(parameters: Record<string, unknown>, items = rows) {
  return itemsOut((await runNode(convertToFileNode, { parameters, items })).result);
}
async function extract(parameters: Record<string, unknown>, items: Item[]) {
  return itemsOut((await runNode(extractFromFileNode, { parameters, items })).result);
}

describe('Convert to File and Extract from File', () => {
  it('writes all items as one CSV and reads it back as one item per row', async () => {
    const [file] = await convert({ operation: 'csv', options: { fileName: 'people.csv' } });
    expect(file?.binary?.data).toMatchObject({ fileName: 'people.csv', mimeType: 'text/csv', fileExtension: 'csv' });
    expect(Buffer.from(file!.binary!.data!.data, 'base64').toString()).toBe(
      'name,year,tags\nAda,1815,"[""math""]"\n"Grace, ""Amazing""",1906,\n',
    );
    expect(file?.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
    const back = await extract({}, [file!]);
    expect(back.map((item) => item.json)).toEqual([
      { name: 'Ada', year: '1815', tags: '["math"]' },
      { name: 'Grace, "Amazing"', year: '1906' },
    ]);
  });

  it('round-trips XLSX with numbers kept as numbers, and reads a sheet without a header as row lists', async () => {
    const [file] = await convert({ operation: 'xlsx', options: { sheetName: 'People' } });
    expect(file?.binary?.data?.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const back = await extract({ operation: 'xlsx', options: { sheetName: 'People' } }, [file!]);
    expect(back.map((item) => item.json)).toEqual([
      { name: 'Ada', year: 1815, tags: '["math"]' },
      { name: 'Grace, "Amazing"', year: 1906 },
    ]);
    const raw = await extract({ operation: 'xlsx', options: { headerRow: false } }, [file!]);
    expect(raw[0]?.json).toEqual({ row: ['name', 'year', 'tags'] });
  });

  it('makes JSON files of all items or of each, text and base64 files, and reads them back', async () => {
    const [once] = await convert({ operation: 'toJson', options: { format: true } });
    expect(JSON.parse(Buffer.from(once!.binary!.data!.data, 'base64').toString())).toEqual(rows.map((r) => r.json));
    const each = await convert({ operation: 'toJson', mode: 'each', options: { fileName: 'row.json' } });
    expect(each).toHaveLength(2);
    const parsed = await extract({ operation: 'fromJson' }, each);
    expect(parsed.map((item) => item.json.data)).toEqual(rows.map((r) => r.json));

    const [text] = await convert({ operation: 'toText', sourceProperty: 'name' }, [{ json: { name: 'plain words' } }]);
    expect(text?.binary?.data).toMatchObject({ fileName: 'file.txt', mimeType: 'text/plain', bytes: 11 });
    expect((await extract({ operation: 'text', destinationKey: 'content' }, [text!]))[0]?.json).toEqual({ content: 'plain words' });

    const [binary] = await convert({ operation: 'toBinary', sourceProperty: 'b64', options: { fileName: 'hi.png' } }, [
      { json: { b64: Buffer.from('PNG!').toString('base64'), keep: 1 } },
    ]);
    expect(binary?.json).toEqual({ keep: 1 });
    expect(binary?.binary?.data).toMatchObject({ fileName: 'hi.png', mimeType: 'image/png', bytes: 4 });
    const [back] = await extract({ operation: 'binaryToPropery' }, [binary!]);
    expect(back?.json).toEqual({ keep: 1, data: Buffer.from('PNG!').toString('base64') });
  });

  it('reads a PDF’s text and info, and a HTML table', async () => {
    const pdf = { data: minimalPdf(['Revenue grew 12%', 'Costs fell']).toString('base64'), mimeType: 'application/pdf' };
    const [item] = await extract({ operation: 'pdf' }, [{ json: { id: 7 }, binary: { data: pdf } }]);
    expect(item?.json).toMatchObject({ id: 7, numpages: 1, numrender: 1, info: { Title: 'Quarterly report', PDFFormatVersion: '1.4' } });
    expect(String(item?.json.text).replace(/\s+/g, ' ').trim()).toBe('Revenue grew 12% Costs fell');
    const table = Buffer.from('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>x</td></tr></table>').toString('base64');
    const cells = await extract({ operation: 'html' }, [{ json: {}, binary: { data: { data: table, mimeType: 'text/html' } } }]);
    expect(cells.map((c) => c.json)).toEqual([{ a: '1', b: 'x' }]);
  });

  it('reads a calendar file’s events into data.events', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:e1@example.com',
      'DTSTART:20261210T090000Z',
      'DTEND:20261210T100000Z',
      'SUMMARY:Planning\\, Q1',
      'LOCATION:Room 4',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:e2@example.com',
      'DTSTART;VALUE=DATE:20261224',
      'SUMMARY:Holiday',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const [item] = await extract({ operation: 'fromIcs' }, [
      { json: {}, binary: { data: { data: Buffer.from(ics).toString('base64'), mimeType: 'text/calendar' } } },
    ]);
    const events = (item!.json.data as { events: Record<string, unknown>[] }).events;
    expect(events[0]).toMatchObject({
      uid: 'e1@example.com',
      summary: 'Planning, Q1',
      location: 'Room 4',
      start: '2026-12-10T09:00:00.000Z',
      end: '2026-12-10T10:00:00.000Z',
      allDay: false,
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    expect(events[1]).toMatchObject({ summary: 'Holiday', allDay: true });
    await expect(
      extract({ operation: 'fromIcs' }, [
        { json: {}, binary: { data: { data: Buffer.from('nope').toString('base64'), mimeType: 'text/calendar' } } },
      ]),
    ).rejects.toThrow(/^The calendar file could not be read/);
  });

  it('reads an OpenDocument spreadsheet’s rows (typed, repeated cells) and an RTF document’s text', async () => {
    const cell = (type: string, value: string, text = value, repeat = 1) =>
      `<table:table-cell office:value-type="${type}" ${type === 'float' ? `office:value="${value}"` : ''}${repeat > 1 ? ` table:number-columns-repeated="${repeat}"` : ''}><text:p>${text}</text:p></table:table-cell>`;
    const content = `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="People"><table:table-row>${cell('string', 'name')}${cell('string', 'year')}</table:table-row><table:table-row>${cell('string', 'Ada')}${cell('float', '1815')}<table:table-cell table:number-columns-repeated="1000"/></table:table-row><table:table-row>${cell('string', 'Grace')}${cell('float', '1906')}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`;
    const ods = Buffer.from(
      zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': strToU8(content) }),
    );
    const odsItem = {
      json: {},
      binary: { data: { data: ods.toString('base64'), mimeType: 'application/vnd.oasis.opendocument.spreadsheet' } },
    };
    expect((await extract({ operation: 'ods' }, [odsItem])).map((item) => item.json)).toEqual([
      { name: 'Ada', year: 1815 },
      { name: 'Grace', year: 1906 },
    ]);
    const rtf = String.raw`{\rtf1\ansi{\fonttbl{\f0 Helvetica;}}{\colortbl;\red0\green0\blue0;}\f0 Dear {\b Ada},\par Caf\'e9 at 5\tab ok \u8364?\par{\*\generator Word}}`;
    const [rtfItem] = await extract({ operation: 'rtf' }, [
      { json: {}, binary: { data: { data: Buffer.from(rtf).toString('base64'), mimeType: 'application/rtf' } } },
    ]);
    expect(rtfItem?.json).toEqual({ data: 'Dear Ada,\nCafé at 5\tok €' });
  });

  it('runs the legacy Spreadsheet File node as the two nodes that replaced it', async () => {
    const written = itemsOut(
      (await runNode(spreadsheetFileNode, { parameters: { operation: 'toFile', fileFormat: 'csv' }, items: rows })).result,
    );
    expect(written[0]?.binary?.data?.fileName).toBe('file.csv');
    const read = itemsOut((await runNode(spreadsheetFileNode, { parameters: {}, items: written })).result);
    expect(read.map((item) => item.json.name)).toEqual(['Ada', 'Grace, "Amazing"']);
  });

  it('names a missing file and a format it does not read', async () => {
    await expect(extract({ operation: 'text', binaryPropertyName: 'doc' }, [{ json: {} }])).rejects.toThrow(
      "This operation expects the node's input data to contain a binary file 'doc', but none was found [item 0]",
    );
    await expect(extract({ operation: 'docx' }, [{ json: {} }])).rejects.toThrow(
      'Extracting from "docx" files is not supported by this server',
    );
    await expect(convert({ operation: 'toText', sourceProperty: 'nope' })).rejects.toThrow("The item has no field 'nope'");
  });
});
