/**
 * The HTTP request and response of an execution started by an `http` trigger, kept
 * in the pipeline context's metadata so response steps can answer. Absent when the
 * pipeline runs without a request (`wfctl pipeline run`, schedule, event).
 */

/** Metadata keys (underscored: never shown as user data). */
export const HTTP_REQUEST = "_http_request";
export const HTTP_RESPONSE = "_http_response";
/** Set by `step.pipeline_output`: what the execution returns instead of `current`. */
export const PIPELINE_OUTPUT = "_pipeline_output";

export interface HttpRequestInfo {
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** The route as configured, e.g. `/api/orders/{id}`. */
  readonly routePattern: string;
  readonly pathParams: Readonly<Record<string, string>>;
  /** First value of each query parameter. */
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON or form body; undefined without one. */
  readonly body: unknown;
  /** The unparsed body, when the trigger keeps it (`raw_body`). */
  readonly rawBody?: string;
  readonly contentType: string | undefined;
}

/** Answers the request once; later calls are ignored. */
export interface HttpResponder {
  readonly handled: boolean;
  /** `body`: an object/array/number/boolean/null is sent as JSON; a string or Buffer as is. */
  respond(status: number, headers: Readonly<Record<string, string>>, body: unknown): void;
}
