// JSON Schemas of the course format (version 1). Check specs are validated in a second pass
// against the schema of their check type (src/checks/registry.ts), so new check types need no
// change here.

const id = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' } as const;
const localized = {
  type: 'object',
  required: ['en'],
  additionalProperties: { type: 'string', minLength: 1 },
} as const;

/** localizedSchema is text per language, English required. */
export const localizedSchema = localized;
/** backendNames are the values of `backends` filters on commands and checks. */
export const backendNames = ['kind', 'practice', 'context'];

const vars = { type: 'object', additionalProperties: { type: 'string' } } as const;

const fileSpec = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', minLength: 1 },
    template: { type: 'string', minLength: 1 },
    content: { type: 'string' },
    vars,
  },
  oneOf: [{ required: ['template'] }, { required: ['content'] }],
} as const;

/** courseManifestSchema is the schema of course.yaml. */
export const courseManifestSchema = {
  type: 'object',
  required: ['formatVersion', 'id', 'version', 'title', 'languages', 'lessons'],
  additionalProperties: false,
  properties: {
    formatVersion: { const: 1 },
    id,
    version: { type: 'string', minLength: 1 },
    title: localized,
    languages: { type: 'array', minItems: 1, items: { type: 'string' }, contains: { const: 'en' } },
    vars,
    lessons: { type: 'array', minItems: 1, items: id, uniqueItems: true },
  },
} as const;

/** lessonSchema is the schema of <lesson>/lesson.yaml. */
export const lessonSchema = {
  type: 'object',
  required: ['id', 'title', 'steps'],
  additionalProperties: false,
  properties: {
    id,
    title: localized,
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'title', 'verify', 'solve'],
        additionalProperties: false,
        properties: {
          id,
          title: localized,
          files: { type: 'array', items: fileSpec },
          run: {
            type: 'array',
            items: {
              oneOf: [
                { type: 'string', minLength: 1 },
                {
                  type: 'object',
                  required: ['command', 'backends'],
                  additionalProperties: false,
                  properties: {
                    command: { type: 'string', minLength: 1 },
                    backends: { type: 'array', minItems: 1, items: { enum: backendNames } },
                  },
                },
              ],
            },
          },
          verify: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
          },
          solve: {
            type: 'array',
            minItems: 1,
            items: {
              oneOf: [
                { enum: ['scaffold', 'commands'] },
                {
                  type: 'object',
                  required: ['run'],
                  additionalProperties: false,
                  properties: { run: { type: 'string', minLength: 1 } },
                },
                {
                  type: 'object',
                  required: ['write'],
                  additionalProperties: false,
                  properties: { write: fileSpec },
                },
              ],
            },
          },
          hints: { type: 'array', items: localized },
          hintsByCause: {
            type: 'object',
            propertyNames: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
            additionalProperties: localized,
          },
          exercise: {
            type: 'object',
            required: ['form'],
            // Only a find-the-fault drill may break the cluster by command, without a file.
            anyOf: [{ properties: { form: { const: 'find-the-fault' } } }, { required: ['file'] }],
            additionalProperties: false,
            properties: {
              form: { enum: ['fix-the-article', 'fill-in', 'find-the-fault'] },
              file: { type: 'string', minLength: 1 },
              cause: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
              meet: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['run', 'file', 'expect'],
                  additionalProperties: false,
                  properties: {
                    run: { type: 'string', minLength: 1 },
                    file: { type: 'string', minLength: 1 },
                    expect: { type: 'string', minLength: 1 },
                    stopOnAnswer: { type: 'boolean' },
                  },
                },
              },
            },
          },
          // Under --yes on the practice cluster, the step runs on the compressed autoscaling clock
          // (docs/autoscaling.md): an HPA's 15 s sync takes 0.3 s. Learners keep real time.
          fastAutoscaling: { type: 'boolean' },
          // Earlier steps this one builds on (`lesson/step`): explained only when one of them was.
          needs: {
            type: 'array',
            items: {
              type: 'string',
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            },
          },
          errata: {
            type: 'array',
            items: {
              type: 'object',
              required: ['wrote', 'answer', 'why', 'fix'],
              additionalProperties: false,
              properties: {
                wrote: { type: 'string' },
                answer: { type: 'string' },
                match: { type: 'string', minLength: 1 },
                why: localized,
                fix: localized,
              },
            },
          },
          vars,
        },
      },
    },
  },
} as const;
