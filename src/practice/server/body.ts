// Request bodies: JSON, YAML (apply patches) and Kubernetes protobuf, by Content-Type and magic.
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../api-error.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { goJsonSyntaxError } from './json-syntax.js';
import { decodeProtobufObject, isProtobuf } from './protobuf.js';

/** mediaType is the Content-Type without parameters, lower-cased. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** parseJson parses JSON into an unknown value or throws a 400 with Go-like wording. */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const why = goJsonSyntaxError(text) ?? 'unexpected end of JSON input';
    throw badRequest(`couldn't get version/kind; json parse error: ${why}`);
  }
}

/** decodeObject decodes a create/update body into a JSON object. */
export function decodeObject(body: Buffer, contentType: string | undefined): JsonObject {
  const type = mediaType(contentType);
  if (body.length === 0)
    throw badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  if (type === 'application/vnd.kubernetes.protobuf' || isProtobuf(body)) return decodeProtobufObject(body);
  let value: unknown;
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') value = parseYamlBody(body);
  else if (type === '' || type.endsWith('json'))
    value =
      type === '' && !/^\s*[{[]/.test(body.toString('utf8', 0, 64)) ? parseYamlBody(body) : parseJson(body);
  else {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  if (!isJsonObject(value))
    throw badRequest(`Object 'Kind' is missing in '${body.toString('utf8', 0, 200)}'`);
  return value;
}

/** parseYamlBody parses a YAML document (one object). */
export function parseYamlBody(body: Buffer): unknown {
  try {
    return parseYaml(body.toString('utf8'), { maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}
