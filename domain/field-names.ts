/**
 * The data items a customer file may hold, as plain data: workflow code imports this module,
 * and keeping it free of zod keeps the schema library out of every workflow's sandbox.
 */
export const FIELD_NAMES = [
  'name',
  'nameKana',
  'email',
  'phone',
  'postalCode',
  'address',
  'birthDate',
  'gender',
  'vehicleModel',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
