import { ALL_FIELDS } from '../../domain/fields';
import { LegalGround } from '../../domain/requests-legal';
import type { Errors } from '../forms';
import { checkboxes, selectField, textareaField, textField } from '../forms';
import type { Html } from '../html';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { csrfField, layout, notice } from '../layout';
import type { View } from '../view';

/** What a person typed, given back with the messages when the server turned the request down. */
export type FormValues = Record<string, string | undefined>;

function frame(v: View, title: MessageKey, action: string, errors: Errors, controls: Html): Html {
  return layout(
    v,
    v.t(title),
    html`${Object.keys(errors).length > 0 ? notice('error', v.t('fixErrors')) : ''}
      <form method="post" action="${action}" class="stack" novalidate>
        ${csrfField(v)} ${controls}
        <button type="submit">${v.t('submit')}</button>
      </form>`,
  );
}

export function surveyFormPage(v: View, designs: string[], values: FormValues, errors: Errors): Html {
  const f = { errors, required: true };
  return frame(
    v,
    'surveyForm',
    '/requests/survey',
    errors,
    html`${textField({ ...f, name: 'firmId', label: v.t('firm'), value: values.firmId })}
    ${textField({ ...f, name: 'surveyId', label: v.t('surveyId'), value: values.surveyId })}
    ${selectField({
      errors,
      name: 'design',
      label: v.t('design'),
      value: values.design,
      options: designs.map((d) => ({ value: d, label: d })),
    })}
    ${textField({ ...f, name: 'endsOn', label: v.t('endsOn'), type: 'date', value: values.endsOn })}
    ${textareaField({ ...f, name: 'subjectIds', label: v.t('subjects'), hint: v.t('subjectsHint'), value: values.subjectIds })}`,
  );
}

export function shippingFormPage(v: View, values: FormValues, errors: Errors): Html {
  const f = { errors, required: true };
  return frame(
    v,
    'shippingForm',
    '/requests/shipping',
    errors,
    html`${textField({ ...f, name: 'subjectId', label: v.t('customer'), value: values.subjectId })}
    ${textField({ ...f, name: 'carrierId', label: v.t('carrier'), value: values.carrierId })}
    ${textField({ ...f, name: 'shipmentRef', label: v.t('shipmentRef'), value: values.shipmentRef })}`,
  );
}

const GROUND_LABEL: Record<LegalGround, MessageKey> = {
  warrant: 'groundWarrant',
  inquiry: 'groundInquiry',
  emergency: 'groundEmergency',
  statute: 'groundStatute',
};

/** Legal and emergency requests are one kind; an emergency is a ground, released at once by a second person. */
export function legalFormPage(v: View, values: FormValues, errors: Errors): Html {
  const f = { errors, required: true };
  return frame(
    v,
    'legalForm',
    '/requests/legal',
    errors,
    html`${textField({ ...f, name: 'subjectId', label: v.t('customer'), value: values.subjectId })}
    ${textField({ ...f, name: 'authorityId', label: v.t('authority'), value: values.authorityId })}
    ${selectField({
      errors,
      name: 'ground',
      label: v.t('ground'),
      value: values.ground,
      options: LegalGround.options.map((g) => ({ value: g, label: v.t(GROUND_LABEL[g]) })),
    })}
    ${textField({ ...f, name: 'documentRef', label: v.t('documentRef'), value: values.documentRef })}
    ${textField({ errors, name: 'issuingOfficial', label: v.t('official'), hint: v.t('officialHint'), value: values.issuingOfficial })}
    ${checkboxes({
      errors,
      name: 'fields',
      label: v.t('fieldsRequested'),
      options: [...ALL_FIELDS],
      checked: (values.fields ?? '').split(',').filter((f) => f !== ''),
      idPrefix: 'field',
    })}
    ${textareaField({ ...f, name: 'justification', label: v.t('justification'), value: values.justification })}
    ${selectField({
      errors,
      name: 'noticeMode',
      label: v.t('customerNotice'),
      value: values.noticeMode ?? 'allowed',
      options: [
        { value: 'allowed', label: v.t('noticeAllowed') },
        { value: 'prohibited', label: v.t('noticeProhibited') },
        { value: 'deferred', label: v.t('noticeDeferred') },
      ],
    })}
    ${textField({ errors, name: 'noticeUntil', label: v.t('noticeUntil'), type: 'date', hint: v.t('noticeUntilHint'), value: values.noticeUntil })}`,
  );
}
