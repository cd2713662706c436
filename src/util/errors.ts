/**
 * Every failure the library reports on purpose is an InrError: `code` says what kind, `field`
 * names the offending field (e.g. `header.tensors[3].shape`) where there is one. Each subclass
 * types `code` as the union of its codes (`instanceof` narrows to it; the base's is the union
 * of all), so that a `throw` or a comparison with a misspelt code does not compile.
 * docs/ERRORS.md says when each is thrown.
 *
 * A RangeError (or TypeError) is kept for programmer errors only: a caller passed an argument
 * or option that can never be right. Anything about the input data, files, the network, the
 * GPU or the environment is an InrError.
 */
export abstract class InrError extends Error {
  readonly code: InrErrorCode;
  readonly field: string | undefined;

  protected constructor(code: InrErrorCode, message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.field = field;
  }
}

export type InrFormatErrorCode =
  | 'bad-magic'
  | 'unsupported-version'
  | 'invalid-header'
  | 'limit'
  | 'checksum'
  | 'non-finite-weight'
  | 'unrepresentable'
  | 'truncated'
  | 'trailing-bytes'
  | 'invalid-padding'
  | 'invalid-tensor'
  | 'stream'
  | 'not-video'
  | 'invalid-argument';

/** The bytes are not a valid `.inr` file (bad magic, limits, checksum, truncation, ...). */
export class InrFormatError extends InrError {
  declare readonly code: InrFormatErrorCode;

  constructor(code: InrFormatErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrModelErrorCode = 'invalid-model' | 'non-finite-weight' | 'invalid-region' | 'invalid-coord' | 'too-large';

/**
 * The model description is inconsistent (bases vs shape, widths vs tensors, NaN weights), or
 * decoding it would need more memory than the budget allows (`too-large`).
 */
export class InrModelError extends InrError {
  declare readonly code: InrModelErrorCode;

  constructor(code: InrModelErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrImportErrorCode = 'invalid-config' | 'invalid-safetensors' | 'missing-tensor' | 'wrong-shape';

/** A foreign model (e.g. the PyTorch reference's safetensors + config) cannot be imported. */
export class InrImportError extends InrError {
  declare readonly code: InrImportErrorCode;

  constructor(code: InrImportErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrBackendErrorCode = 'no-backend' | 'backend-unavailable' | 'device-lost' | 'workers-unavailable' | 'released';

/**
 * A decode backend failed: none could start (`no-backend`), a forced one was refused or a
 * trial failed (`backend-unavailable`), the GPU was lost and could not be replaced
 * (`device-lost`), the decode workers cannot run here (`workers-unavailable`), or a model was
 * used after release (`released`).
 */
export class InrBackendError extends InrError {
  declare readonly code: InrBackendErrorCode;

  constructor(code: InrBackendErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrTrainErrorCode =
  | 'bad-input'
  | 'too-large'
  | 'empty-signal'
  | 'bad-signal'
  | 'bad-size'
  | 'bad-bases'
  | 'bad-spec'
  | 'bad-option'
  | 'nan-loss'
  | 'aborted'
  | 'busy'
  | 'worker-lost';

/** Training cannot start or go on (empty or unreadable signal, bases that do not fit, NaN loss). */
export class InrTrainError extends InrError {
  declare readonly code: InrTrainErrorCode;

  constructor(code: InrTrainErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrLoadErrorCode = 'http' | 'content-type' | 'no-body' | 'network' | 'stalled' | 'range';

/** Fetching a model failed before or while it was parsed: HTTP status, content type, network. */
export class InrLoadError extends InrError {
  declare readonly code: InrLoadErrorCode;

  constructor(code: InrLoadErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

export type InrDrawErrorCode = 'no-context' | 'too-large' | 'worker-start' | 'worker-lost' | 'timeout' | 'draw-failed';

/**
 * Drawing failed: the canvas gave no 2d context, or the draw worker could not start, was
 * lost, stopped answering or could not draw.
 */
export class InrDrawError extends InrError {
  declare readonly code: InrDrawErrorCode;

  constructor(code: InrDrawErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

/** Every code of every class. */
export type InrErrorCode =
  InrFormatErrorCode | InrModelErrorCode | InrImportErrorCode | InrBackendErrorCode | InrTrainErrorCode | InrLoadErrorCode | InrDrawErrorCode;
