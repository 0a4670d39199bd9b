// field.ErrorList as upstream renders it: `<field>: Invalid value: "x": detail`, with the cause
// reasons (`FieldValueInvalid`, …) kubectl prints one per line.
import type { StatusCause } from '../api-error.js';

type ErrorType = 'Invalid' | 'Required' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'NotFound' | 'TooLong';

const REASON: Record<ErrorType, string> = {
  Invalid: 'FieldValueInvalid',
  Required: 'FieldValueRequired',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  Duplicate: 'FieldValueDuplicate',
  NotFound: 'FieldValueNotFound',
  TooLong: 'FieldValueTooLong',
};

const LABEL: Record<ErrorType, string> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  NotFound: 'Not found',
  TooLong: 'Too long',
};

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value ?? null);
}

/** FieldErrors collects field errors in upstream order and renders them as Status causes. */
export class FieldErrors {
  readonly causes: StatusCause[] = [];

  private add(type: ErrorType, field: string, value: unknown, detail: string, withValue: boolean): void {
    let message = LABEL[type];
    if (withValue) message += `: ${render(value)}`;
    if (detail) message += `: ${detail}`;
    this.causes.push({ reason: REASON[type], message, field });
  }

  /** invalid is `Invalid value: <v>: detail`. */
  invalid(field: string, value: unknown, detail: string): void {
    this.add('Invalid', field, value, detail, true);
  }

  /** required is `Required value[: detail]`. */
  required(field: string, detail = ''): void {
    this.add('Required', field, undefined, detail, false);
  }

  /** notSupported is `Unsupported value: "x": supported values: "a", "b"`. */
  notSupported(field: string, value: unknown, supported: string[]): void {
    this.add(
      'NotSupported',
      field,
      value,
      `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
      true,
    );
  }

  /** forbidden is `Forbidden: detail`. */
  forbidden(field: string, detail: string): void {
    this.add('Forbidden', field, undefined, detail, false);
  }

  /** duplicate is `Duplicate value: <v>`. */
  duplicate(field: string, value: unknown): void {
    this.add('Duplicate', field, value, '', true);
  }

  /** notFound is `Not found: <v>`. */
  notFound(field: string, value: unknown): void {
    this.add('NotFound', field, value, '', true);
  }

  /** each adds one Invalid per message (name checks return several). */
  each(field: string, value: unknown, messages: string[]): void {
    for (const m of messages) this.invalid(field, value, m);
  }

  get empty(): boolean {
    return this.causes.length === 0;
  }
}
