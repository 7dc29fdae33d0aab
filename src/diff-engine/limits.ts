/**
 * Bounds on what one operation may ask for. Each of these numbers would otherwise size an allocation or a loop
 * (addConnection pads a node's slot array up to the output index it is given), so a single request could exhaust
 * the server's memory. They are checked by the operation schemas, again where the value is used, and by the
 * whole-document invariants for maps that arrive whole (replaceConnections).
 */

/**
 * Highest output or input index a connection may use. n8n's nodes have a few dozen outputs at most (a Switch with
 * many rules); 1000 is far above any real workflow and far below anything that could hurt the server.
 */
export const MAX_CONNECTION_INDEX = 1000;

/** Largest |x| or |y| of a node's canvas position. */
export const MAX_POSITION = 1_000_000_000;

/** An updateNode path has at most this many segments (`parameters.items[0].name` has four)... */
export const MAX_PATH_SEGMENTS = 64;

/** ...and at most this many characters. */
export const MAX_PATH_LENGTH = 1000;

/** The message for an output (or input) index above MAX_CONNECTION_INDEX; the caller says which field. */
export const indexTooHigh = (kind: 'output' | 'input') =>
  `must be at most ${MAX_CONNECTION_INDEX}, the highest ${kind} index a connection may use (n8n nodes have a few dozen at most)`;

/** How messages state the position bound. */
export const POSITION_RANGE = `between -${MAX_POSITION} and ${MAX_POSITION}`;
