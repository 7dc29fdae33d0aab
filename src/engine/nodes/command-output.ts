/** The most a command may print (stdout and stderr together); more stops it and fails the node. */
export const MAX_COMMAND_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Collects a command's stdout and stderr up to the limit; past it, `onTooMuch` stops the command once. */
export function commandOutput(onTooMuch: () => void) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  let over = false;
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_COMMAND_OUTPUT_BYTES) return void into.push(chunk);
    if (!over) onTooMuch();
    over = true;
  };
  return {
    stdout: collect(out),
    stderr: collect(err),
    /** The output as text, trailing whitespace trimmed (as n8n trims it). */
    text: () => ({ stdout: Buffer.concat(out).toString('utf8').trimEnd(), stderr: Buffer.concat(err).toString('utf8').trimEnd() }),
  };
}

export const tooMuchOutputMessage = `The command printed more than ${MAX_COMMAND_OUTPUT_BYTES / 1024 / 1024} MiB`;
