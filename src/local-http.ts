// GET from a port on this machine (a `kubectl port-forward` or a `kubectl proxy`). node:http is
// loaded on the first request: the kube checks that import this share one chunk, and most never fetch.

/** httpGet fetches http://127.0.0.1:PORT/PATH; never throws. */
export async function httpGet(
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status?: number; body: string; error?: string }> {
  const { request } = await import('node:http');
  return new Promise((resolveGet) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolveGet({ ...(res.statusCode ? { status: res.statusCode } : {}), body }));
      res.on('error', (err) => resolveGet({ body, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', (err) =>
      resolveGet({ body: '', error: (err as NodeJS.ErrnoException).code ?? err.message }),
    );
    req.end();
  });
}
