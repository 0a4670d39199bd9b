// The schemas a course is validated against: course.yaml, lesson.yaml, localized text, and each
// check type's own. scripts/build.mjs compiles them into standalone validator code at build time
// (so no command compiles a schema at run time, and ajv is not needed once installed); tests
// compile them on load (src/course/validators-dev.ts). Both read this one list.
import { checkTypes } from '../checks/all.js';
import { courseManifestSchema, lessonSchema, localizedSchema } from './schema.js';

/** ajvOptions are the options the validators are compiled with, at build time and in tests. */
export const ajvOptions = { allErrors: true, strict: false } as const;

/** validatorSchemas returns every schema by name; `checks` is keyed by check type. */
export function validatorSchemas(): {
  manifest: object;
  lesson: object;
  localized: object;
  checks: Record<string, object>;
} {
  return {
    manifest: courseManifestSchema,
    lesson: lessonSchema,
    localized: localizedSchema,
    checks: Object.fromEntries(checkTypes.map((c) => [c.name, c.schema as object])),
  };
}
