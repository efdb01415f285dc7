import { useEffect, useState } from 'react';
import { answer, api } from '../../../lib/api-client';
import type { InstallOutput } from '../../../lib/api-types';
import { isOutputComplete, nextOffset, pollDelay } from '../model/install-progress';

export const getInstallOutput = (id: string, offset: number, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/installs/{install}/output', {
      params: { path: { install: id }, query: { offset } },
      signal,
    }),
  );

export interface FollowedOutput {
  text: string;
  status: InstallOutput['status'] | null;
  complete: boolean;
  error: Error | null;
}

/**
 * What an install prints, appended as it arrives: each poll continues from the previous chunk's
 * offset + length, until the install ended and everything is read. Errors retry after a pause.
 */
export function useInstallOutput(id: string): FollowedOutput {
  const [state, setState] = useState<FollowedOutput>({
    text: '',
    status: null,
    complete: false,
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let offset = 0;
    setState({ text: '', status: null, complete: false, error: null });
    const poll = async () => {
      try {
        const chunk = await getInstallOutput(id, offset, controller.signal);
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
  }, [id]);
  return state;
}
