// The default imagePullPolicy rule (pkg/apis/core/v1/defaults.go), for pods the controllers
// create and for containers whose policy was not defaulted.

/** pullPolicyFor is `Always` for `:latest` or no tag, `IfNotPresent` otherwise (digests too). */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const tail = image.slice(image.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  const tag = colon < 0 ? '' : tail.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
