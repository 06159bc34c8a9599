import { isTruthy } from "../templates/index.js";
import { pathTemplate } from "./data-path-template.js";
import type { StepFactory } from "./step-factory.js";
import { render } from "./step-runtime.js";

/**
 * `step.conditional`: jumps by the value of `field` in `routes` (else `default`; no
 * match and no default is an error), or by the truth of `if` to `then` / `else`
 * (without `else`, a false condition continues with the next step).
 */
export const conditionalStep: StepFactory = (ctx) => {
  const c = ctx.config;
  if (typeof c.if === "string") {
    const condition = ctx.compile(["if"]);
    const whenTrue = String(c.then);
    const whenFalse = typeof c.else === "string" ? c.else : undefined;
    return {
      name: () => ctx.name,
      execute: async (pc) => {
        const value = isTruthy(render(pc, condition));
        const next = value ? whenTrue : whenFalse;
        return {
          output: { condition: value, ...(next ? { next_step: next } : {}) },
          ...(next ? { nextStep: next } : {}),
        };
      },
    };
  }
  const fieldText = String(c.field);
  const field = ctx.compile(
    ["field"],
    fieldText.includes("{{") ? fieldText : pathTemplate(fieldText),
  );
  const routes = c.routes as Readonly<Record<string, string>>;
  const fallback = typeof c.default === "string" ? c.default : undefined;
  return {
    name: () => ctx.name,
    execute: async (pc) => {
      const rendered = render(pc, field);
      const value =
        rendered === undefined || rendered === null
          ? ""
          : typeof rendered === "string"
            ? rendered
            : JSON.stringify(rendered);
      const route = Object.hasOwn(routes, value) ? routes[value] : undefined;
      const next = route ?? fallback;
      if (next === undefined) {
        throw new Error(
          `no route for ${JSON.stringify(value)} and no default (routes: ${Object.keys(routes).join(", ")})`,
        );
      }
      return {
        output: { matched_value: value, next_step: next, used_default: route === undefined },
        nextStep: next,
      };
    },
  };
};
