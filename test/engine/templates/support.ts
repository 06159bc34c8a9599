import {
  compileTemplate,
  type RenderOptions,
  type TemplateData,
  type TemplateSite,
} from "../../../src/engine/templates/index.js";

export const site: TemplateSite = { label: 'pipeline "orders" step "save" config.message' };

/** Data shaped like a pipeline's template root. */
export const data: TemplateData = {
  name: "Ada",
  count: 3,
  steps: {
    "parse-body": { body: { id: 42, customer: { name: "ada lovelace" }, tags: ["a", "b"] } },
    lookup: { row: { id: 7, status: "open", note: null }, found: true },
  },
  trigger: { path_params: { id: "42" }, query: {} },
  meta: { pipeline: "orders" },
  items: [10, 20, 30],
};

/** Compiles and renders `text` (non-strict unless told), collecting missing paths. */
export function render(
  text: string,
  root: TemplateData = data,
  options: Partial<RenderOptions> = {},
): unknown {
  return compileTemplate(text, site).render(root, { strict: false, ...options });
}

/** Renders non-strict and returns the value and the paths reported missing. */
export function renderWithMissing(
  text: string,
  root: TemplateData = data,
): { value: unknown; missing: string[] } {
  const missing: string[] = [];
  const value = compileTemplate(text, site).render(root, {
    strict: false,
    onMissing: (path) => missing.push(path),
  });
  return { value, missing };
}

/** The error compiling or rendering `text` throws. */
export function errorOf(text: string, options: Partial<RenderOptions> = {}): Error {
  try {
    render(text, data, options);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}
