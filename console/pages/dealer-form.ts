import type { Errors } from '../forms';
import { selectField, textField } from '../forms';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';

export type DealerFormValues = Partial<
  Record<'subjectId' | 'dealerId' | 'consentId' | 'catalog' | 'contact' | 'handover', string>
>;

export function dealerFormPage(v: View, values: DealerFormValues, errors: Errors): Html {
  const hasErrors = Object.keys(errors).length > 0;
  const f = { errors, required: true };
  return layout(
    v,
    v.t('dealerForm'),
    html`${hasErrors ? notice('error', v.t('fixErrors')) : ''}
      <form method="post" action="/requests/dealer-catalog" class="stack" novalidate>
        ${csrfField(v)} ${textField({ ...f, name: 'subjectId', label: v.t('customer'), value: values.subjectId })}
        ${textField({ ...f, name: 'dealerId', label: v.t('dealer'), value: values.dealerId })}
        ${textField({ errors, name: 'consentId', label: v.t('consent'), value: values.consentId })}
        ${textField({ ...f, name: 'catalog', label: v.t('catalog'), value: values.catalog })}
        ${selectField({
          errors,
          name: 'contact',
          label: v.t('contact'),
          value: values.contact ?? 'email',
          options: [
            { value: 'email', label: v.t('email') },
            { value: 'phone', label: v.t('phone') },
          ],
        })}
        ${selectField({
          errors,
          name: 'handover',
          label: v.t('handover'),
          value: values.handover ?? 'digital',
          options: [
            { value: 'digital', label: v.t('digital') },
            { value: 'in-person', label: v.t('inPerson') },
          ],
        })}
        <button type="submit">${v.t('submit')}</button>
      </form>`,
  );
}
