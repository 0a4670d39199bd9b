// Errors carried as Kubernetes `Status` objects. Every failure the HTTP layer returns goes through
// ApiError so kubectl prints the upstream texts (`Error from server (NotFound): ...`).

/** StatusCause is one entry of `details.causes` (422 field errors, SSA conflicts). */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** StatusDetails names the object an error is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** ApiError is an HTTP failure with a Kubernetes reason, rendered as a `Status` by toStatus. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** toStatus is the `Status` body the API server sends for this error (Go's field order). */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** qualified is a group-qualified resource as upstream prints it: `deployments.apps`, `pods`. */
export function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** notFound is 404 `<resource> "<name>" not found`. */
export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

/** alreadyExists is 409 `<resource> "<name>" already exists`. */
export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

/** conflict is 409 Conflict for a stale resourceVersion (optimistic concurrency). */
export function conflict(resource: string, group: string, name: string, why: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`,
    { name, group: group || undefined, kind: resource },
  );
}

/** badRequest is 400 BadRequest with the message printed as is. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** gone is 410 Expired: a watch asked for history the server no longer keeps. */
export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

/** invalid is 422 Invalid: `The Kind "name" is invalid: ` then the causes joined. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualified(kind, group)} "${name}" is invalid: ${text}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}
