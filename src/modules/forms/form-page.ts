import { escapeHtml } from '../../lib/html-escape.ts';
import { type FormField, fieldKey, optionsOf } from './form-fields.ts';

/** Everything a form page shows. */
export interface FormPage {
  title: string;
  description: string;
  fields: FormField[];
  buttonLabel: string;
  /** Where the form posts (its own URL). */
  action: string;
  customCss?: string;
  /** A problem with the last submission, shown above the fields. */
  problem?: string;
}

/**
 * Pages are served to anyone with the link: nothing on them runs script (the policy forbids it), styles are inline,
 * and the only place a form may post is this server.
 */
export const FORM_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

const safe = (text: unknown) => escapeHtml(String(text ?? ''));

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f5f7;color:#222;margin:0;padding:32px 16px}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.5rem;margin:0 0 8px}p.description{white-space:pre-line;color:#555;margin:0 0 24px}
.field{margin:0 0 18px}label.title{display:block;font-weight:600;margin-bottom:6px}.required::after{content:" *";color:#c00}
input[type=text],input[type=email],input[type=number],input[type=password],input[type=url],input[type=date],textarea,select{width:100%;box-sizing:border-box;padding:9px 10px;border:1px solid #ccc;border-radius:6px;font:inherit}
textarea{min-height:96px}.choice{display:block;margin:4px 0}.problem{background:#fdecea;color:#8a1c13;padding:10px 12px;border-radius:6px;margin-bottom:18px}
button{background:#ff6d5a;color:#fff;border:0;border-radius:6px;padding:11px 20px;font:inherit;font-weight:600;cursor:pointer}`;

function layout(title: string, body: string, customCss = ''): string {
  const css = customCss.replace(/<\/style/gi, '<\\/style');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${safe(title)}</title><style>${STYLE}${css}</style></head><body><main>${body}</main></body></html>`;
}

function fieldHtml(field: FormField, index: number): string {
  const name = `field-${index}`;
  const id = `f${index}`;
  const label = safe(field.fieldLabel ?? fieldKey(field, index));
  const required = field.requiredField ? ' required' : '';
  const placeholder = field.placeholder ? ` placeholder="${safe(field.placeholder)}"` : '';
  const title = `<label class="title${field.requiredField ? ' required' : ''}" for="${id}">${label}</label>`;
  switch (field.fieldType) {
    case 'hiddenField':
      return `<input type="hidden" name="${name}" value="${safe(field.fieldValue ?? '')}">`;
    case 'html':
      return `<div class="field html">${field.html ?? ''}</div>`;
    case 'textarea':
      return `<div class="field">${title}<textarea id="${id}" name="${name}"${placeholder}${required}>${safe(field.defaultValue ?? '')}</textarea></div>`;
    case 'dropdown': {
      const options = optionsOf(field).map((option) => `<option value="${safe(option)}">${safe(option)}</option>`);
      const multiple = field.multiselect ? ' multiple' : '';
      const empty = field.multiselect ? '' : '<option value="">Select an option ...</option>';
      return `<div class="field">${title}<select id="${id}" name="${name}"${multiple}${required}>${empty}${options.join('')}</select></div>`;
    }
    case 'checkbox':
    case 'radio': {
      const choices = optionsOf(field).map(
        (option, i) =>
          `<label class="choice"><input type="${field.fieldType}" id="${id}-${i}" name="${name}" value="${safe(option)}"${field.fieldType === 'radio' ? required : ''}> ${safe(option)}</label>`,
      );
      return `<div class="field"><span class="title${field.requiredField ? ' required' : ''}" id="${id}">${label}</span>${choices.join('')}</div>`;
    }
    case 'file': {
      const accept = field.acceptFileTypes ? ` accept="${safe(field.acceptFileTypes)}"` : '';
      return `<div class="field">${title}<input type="file" id="${id}" name="${name}"${field.multipleFiles ? ' multiple' : ''}${accept}${required}></div>`;
    }
    default: {
      const type = ['email', 'number', 'password', 'date', 'url'].includes(field.fieldType ?? '') ? field.fieldType : 'text';
      const value = field.defaultValue ? ` value="${safe(field.defaultValue)}"` : '';
      return `<div class="field">${title}<input type="${type}" id="${id}" name="${name}"${placeholder}${value}${required}${type === 'number' ? ' step="any"' : ''}></div>`;
    }
  }
}

export function renderFormPage(page: FormPage): string {
  const problem = page.problem ? `<div class="problem" role="alert">${safe(page.problem)}</div>` : '';
  const fields = page.fields.map(fieldHtml).join('');
  const body = `<h1>${safe(page.title)}</h1>${page.description ? `<p class="description">${safe(page.description)}</p>` : ''}${problem}
<form method="POST" action="${safe(page.action)}" enctype="multipart/form-data">${fields}<button type="submit">${safe(page.buttonLabel)}</button></form>`;
  return layout(page.title, body, page.customCss);
}

/** The screen after the last page: a title and a message (n8n: "Form Submitted" / its formSubmittedText). */
export function renderMessagePage(title: string, message: string, customCss?: string): string {
  return layout(title, `<h1>${safe(title)}</h1><p class="description" id="message">${safe(message)}</p>`, customCss);
}
