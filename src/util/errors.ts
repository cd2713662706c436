/**
 * Every failure the library reports on purpose is an InrError: `code` says what kind, `field`
 * names the offending field (e.g. `header.tensors[3].shape`) where there is one.
 */
export class InrError extends Error {
  readonly code: string;
  readonly field: string | undefined;

  constructor(code: string, message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.field = field;
  }
}

/** The bytes are not a valid `.inr` file (bad magic, limits, checksum, truncation, ...). */
export class InrFormatError extends InrError {}

/** The model description is inconsistent (bases vs shape, widths vs tensors, NaN weights). */
export class InrModelError extends InrError {}

/** A foreign model (e.g. the PyTorch reference's safetensors + config) cannot be imported. */
export class InrImportError extends InrError {}

/**
 * A decode backend failed: none could start (`no-backend`), a forced one was refused
 * (`backend-unavailable`), the GPU was lost and could not be replaced (`device-lost`), or a
 * model was used after release (`released`).
 */
export class InrBackendError extends InrError {}

/** Training cannot start or go on (empty or unreadable signal, bases that do not fit, NaN loss). */
export class InrTrainError extends InrError {}

/** Fetching a model failed before or while it was parsed: HTTP status, content type, network. */
export class InrLoadError extends InrError {}

/** Drawing failed: the draw worker could not start, was lost, or stopped answering. */
export class InrDrawError extends InrError {}
