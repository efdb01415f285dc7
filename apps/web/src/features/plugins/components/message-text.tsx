import { splitBackticks } from '../model/inline-code';

/** A server message with its `quoted` names shown as code. */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitBackticks(text).map((part, i) =>
        // The parts of one fixed message never reorder: the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
