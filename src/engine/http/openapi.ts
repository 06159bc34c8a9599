import type { PipelineConfig } from "../../config/index.js";
import type { SchemaRegistrar } from "../../contracts/index.js";
import type { RouteTarget } from "./route-table.js";

type OpenApiDocument = Record<string, unknown>;

/**
 * `/openapi.json`: an OpenAPI 3.1 document of the HTTP-triggered pipelines — each
 * route's method, path parameters and, when the pipeline validates its body with
 * `step.validate`, that JSON Schema as the request body. The seed's SchemaRegistrar:
 * others may add component schemas before `applySchemas()` builds the document.
 */
export class OpenApiDocumentBuilder implements SchemaRegistrar {
  readonly #components: Record<string, unknown> = {};
  #document: OpenApiDocument = {};

  constructor(
    private readonly title: string,
    private readonly routes: readonly RouteTarget[],
    private readonly pipelines: Readonly<Record<string, PipelineConfig>>,
  ) {}

  name(): string {
    return "openapi";
  }

  /** Adds the error body every route may answer with. */
  registerAdminSchemas(): void {
    this.#components.Error = {
      type: "object",
      required: ["error"],
      properties: {
        error: { type: "string" },
        field: { type: "string" },
        code: { type: "string" },
        execution_id: { type: "string" },
      },
    };
  }

  applySchemas(): void {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const operations = paths[route.pattern] ?? {};
      operations[route.method.toLowerCase()] = this.#operation(route);
      paths[route.pattern] = operations;
    }
    this.#document = {
      openapi: "3.1.0",
      info: { title: this.title, version: "1.0.0" },
      paths,
      components: { schemas: { ...this.#components } },
    };
  }

  document(): OpenApiDocument {
    return this.#document;
  }

  #operation(route: RouteTarget): Record<string, unknown> {
    const params = [...route.pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_-]*)(?:\.\.\.)?\}/g)].map(
      (m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }),
    );
    const body = bodySchema(this.pipelines[route.pipeline]);
    const error = {
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
    return {
      operationId: route.pipeline,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body
        ? { requestBody: { required: true, content: { "application/json": { schema: body } } } }
        : {}),
      responses: {
        "200": { description: "The pipeline's output" },
        ...(body ? { "400": { description: "The body does not match the schema", ...error } } : {}),
        "500": { description: "The pipeline failed", ...error },
      },
    };
  }
}

/** The schema of the first `step.validate` that checks the request body. */
function bodySchema(pipeline: PipelineConfig | undefined): unknown {
  for (const step of pipeline?.steps ?? []) {
    if (step.type !== "step.validate") continue;
    const source = typeof step.config.source === "string" ? step.config.source : "";
    const readsBody =
      source === "" ||
      source === "body" ||
      /^steps\.[^.]+\.body$/.test(source) ||
      source === "trigger.body";
    if (readsBody && step.config.schema !== undefined) return step.config.schema;
  }
  return undefined;
}
