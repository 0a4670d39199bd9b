// The shape of the validators scripts/build.mjs generates (ajv standalone code) from
// src/course/validator-schemas.ts. Under vitest this module is src/course/validators-dev.ts.
import type { ErrorObject } from 'ajv';

/** ValidateFn is one compiled schema; `errors` holds the last call's problems. */
export type ValidateFn = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export declare const validateManifest: ValidateFn;
export declare const validateLesson: ValidateFn;
export declare const validateLocalized: ValidateFn;
/** checkValidators validates a check's own fields, by check type. */
export declare const checkValidators: Record<string, ValidateFn>;
