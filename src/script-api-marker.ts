/** resultMarker prefixes the stdout line carrying a structured failure from a check script. */
export const resultMarker = '::k8s-learn-result::';
