import { useEffect, useState } from 'react';

/** A chunk of what a command printed (an install's, an upgrade's), with its status before the read. */
export interface OutputChunk {
  offset: number;
  length: number;
  text: string;
  eof: boolean;
  status: string;
}

/** Where the next poll of a command's output starts. */
export function nextOffset(chunk: Pick<OutputChunk, 'offset' | 'length'>): number {
  return chunk.offset + chunk.length;
}

/**
 * Done once the command ended and the chunk reached the end of the output: the server reads the status
 * first, so an ended command's chunk holds everything it printed.
 */
export function isOutputComplete(chunk: Pick<OutputChunk, 'status' | 'eof'>): boolean {
  return chunk.status !== 'running' && chunk.eof;
}

/** Poll again at once while there is more to read; otherwise wait for the CLI to print. */
export function pollDelay(chunk: Pick<OutputChunk, 'eof'>, idleMs = 700): number {
  return chunk.eof ? idleMs : 0;
}

export interface FollowedOutput<S extends string = string> {
  text: string;
  status: S | null;
  complete: boolean;
  error: Error | null;
}

/**
 * What a command prints, appended as it arrives: each poll continues from the previous chunk's
 * offset + length, until the command ended and everything is read. Errors retry after a pause.
 * `id` null follows nothing (yet).
 */
export function useFollowedOutput<C extends OutputChunk>(
  id: string | null,
  fetchChunk: (id: string, offset: number, signal: AbortSignal) => Promise<C>,
): FollowedOutput<C['status']> {
  const [state, setState] = useState<FollowedOutput<C['status']>>({
    text: '',
    status: null,
    complete: false,
    error: null,
  });
  useEffect(() => {
    setState({ text: '', status: null, complete: false, error: null });
    if (id === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let offset = 0;
    const poll = async () => {
      try {
        const chunk = await fetchChunk(id, offset, controller.signal);
        offset = nextOffset(chunk);
        const complete = isOutputComplete(chunk);
        setState((s) => ({ text: s.text + chunk.text, status: chunk.status, complete, error: null }));
        if (!complete) timer = setTimeout(poll, pollDelay(chunk));
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: error as Error }));
        timer = setTimeout(poll, 3000);
      }
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // fetchChunk is a module-level fetcher (stable): following restarts only for another command.
  }, [id, fetchChunk]);
  return state;
}
