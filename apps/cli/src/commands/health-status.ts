import http from 'node:http';

/**
 * The status of a GET of the server's own health route. Through node:http rather than fetch: fetch
 * loads undici, whose HTTP parser is a WebAssembly module that V8 compiles on one of its threads;
 * that took ~30 MiB of that thread's memory at start-up, and 12 MiB of it stayed resident for the
 * life of two servers in five (idle RSS 98 or 110 MiB from one start to the next).
 */
export function healthStatus(url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
  });
}
