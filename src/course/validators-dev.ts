// Tests and a checkout without a build: the validators compiled on load with ajv (a
// devDependency). The built CLI uses the code scripts/build.mjs generated from the same schemas.
import { Ajv } from 'ajv';
import { ajvOptions, validatorSchemas } from './validator-schemas.js';
import type { ValidateFn } from './validators.generated.js';

const ajv = new Ajv(ajvOptions);
const schemas = validatorSchemas();

export const validateManifest: ValidateFn = ajv.compile(schemas.manifest);
export const validateLesson: ValidateFn = ajv.compile(schemas.lesson);
export const validateLocalized: ValidateFn = ajv.compile(schemas.localized);
export const checkValidators: Record<string, ValidateFn> = Object.fromEntries(
  Object.entries(schemas.checks).map(([name, schema]) => [name, ajv.compile(schema)]),
);
