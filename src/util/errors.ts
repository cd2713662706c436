/**
 * Every failure the library reports on purpose is an InrError: `code` says what kind, `field`
 * names the offending field (e.g. `header.tensors[3].shape`) where there is one. Each class
 * lists its codes as a union type, so that a `throw` with a misspelt code, or a comparison with
 * one, does not compile; docs/ERRORS.md says when each is thrown.
 *
 * A RangeError (or TypeError) is kept for programmer errors only: a caller passed an argument
 * or option that can never be right. Anything about the input data, files, the network, the
 * GPU or the environment is an InrError.
 */
export class InrError<C extends string = InrErrorCode> extends Error {
  readonly code: C;
  readonly field: string | undefined;

  constructor(code: C, message: string, field?: string) {
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
  | 'stream'
  | 'not-video'
  | 'invalid-argument';

/** The bytes are not a valid `.inr` file (bad magic, limits, checksum, truncation, ...). */
export class InrFormatError extends InrError<InrFormatErrorCode> {}

export type InrModelErrorCode = 'invalid-model' | 'non-finite-weight' | 'invalid-region' | 'invalid-coord';

/** The model description is inconsistent (bases vs shape, widths vs tensors, NaN weights). */
export class InrModelError extends InrError<InrModelErrorCode> {}

export type InrImportErrorCode = 'invalid-config' | 'invalid-safetensors' | 'missing-tensor' | 'wrong-shape';

/** A foreign model (e.g. the PyTorch reference's safetensors + config) cannot be imported. */
export class InrImportError extends InrError<InrImportErrorCode> {}

export type InrBackendErrorCode = 'no-backend' | 'backend-unavailable' | 'device-lost' | 'workers-unavailable' | 'released';

/**
 * A decode backend failed: none could start (`no-backend`), a forced one was refused or a
 * trial failed (`backend-unavailable`), the GPU was lost and could not be replaced
 * (`device-lost`), the decode workers cannot run here (`workers-unavailable`), or a model was
 * used after release (`released`).
 */
export class InrBackendError extends InrError<InrBackendErrorCode> {}

export type InrTrainErrorCode =
  | 'bad-input'
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
export class InrTrainError extends InrError<InrTrainErrorCode> {}

export type InrLoadErrorCode = 'http' | 'content-type' | 'no-body' | 'network' | 'range';

/** Fetching a model failed before or while it was parsed: HTTP status, content type, network. */
export class InrLoadError extends InrError<InrLoadErrorCode> {}

export type InrDrawErrorCode = 'no-context' | 'worker-start' | 'worker-lost' | 'timeout' | 'draw-failed';

/**
 * Drawing failed: the canvas gave no 2d context, or the draw worker could not start, was
 * lost, stopped answering or could not draw.
 */
export class InrDrawError extends InrError<InrDrawErrorCode> {}

/** Every code of every class. */
export type InrErrorCode = InrFormatErrorCode | InrModelErrorCode | InrImportErrorCode | InrBackendErrorCode | InrTrainErrorCode | InrLoadErrorCode | InrDrawErrorCode;
