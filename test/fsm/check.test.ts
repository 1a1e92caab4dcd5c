import { describe, expect, it } from "vitest";
import { frontOf } from "../helpers/project.ts";

/** A small machine with one step whose JSON is `step`; line 8 holds the step. */
function spec(step: string, local = `{ "type": "int", "max": 2 }`): string {
  return `{
  "$schema": "../schema/machine.schema.json",
  "kind": "machine",
  "name": "t.m",
  "doc": "d",
  "vars": { "x": { "type": "int", "max": 3 }, "cfg": { "type": "bool", "readonly": true } },
  "processes": { "p": { "locals": { "k": ${local} }, "steps": [
    ${step}
  ] } }
}`;
}

function errors(text: string): string[] {
  const r = frontOf({ "m.json": text });
  return r.ok ? [] : r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`);
}

describe("machine checks", () => {
  it("accepts a well-formed machine", () => {
    expect(errors(spec(`{ "label": "a", "guard": "x < 3 && !cfg", "effects": "x += 1; k = x" }`))).toEqual([]);
  });
  it("rejects unbounded integers", () => {
    expect(errors(spec(`{ "label": "a" }`, `{ "type": "int" }`))).toEqual([
      'specs/m.json:7:37: integer local "k" is unbounded: give it "max" [/processes/p/locals/k]',
    ]);
  });
  it("rejects unknown names, pointing inside the string", () => {
    expect(errors(spec(`{ "label": "a", "effects": "x = 1; y = 2" }`))).toEqual([
      "specs/m.json:8:40: unknown name 'y' in process p [/processes/p/steps/0/effects]",
    ]);
  });
  it("rejects jumps to missing labels", () => {
    expect(errors(spec(`{ "label": "a", "goto": "nowhere" }`))).toEqual([
      'specs/m.json:8:29: step jumps to missing label "nowhere" in process p [/processes/p/steps/0/goto]',
    ]);
  });
  it("rejects writes to read-only variables", () => {
    expect(errors(spec(`{ "label": "a", "effects": "cfg = true" }`))).toEqual([
      "specs/m.json:8:33: cannot assign 'cfg': the variable is read-only [/processes/p/steps/0/effects]",
    ]);
  });
  it("rejects type errors", () => {
    expect(errors(spec(`{ "label": "a", "guard": "x + 1" }`))).toEqual([
      "specs/m.json:8:31: expected a bool, got u32 [/processes/p/steps/0/guard]",
    ]);
  });
  it("an event machine has events instead of processes, not both, and its events type-check", () => {
    const ev = (body: string) => `{ "$schema": "../schema/machine.schema.json", "kind": "machine", "name": "t.e", "doc": "d",
  "vars": { "x": { "type": "int", "max": 3 } },
${body} }`;
    expect(errors(ev(`"events": { "inc": { "params": { "by": { "type": "int", "max": 2 } }, "guard": "x + by <= 3", "effects": "x += by" } }`))).toEqual([]);
    expect(errors(ev(`"events": { "inc": { "effects": "y = 1" } }`))).toEqual(["specs/m.json:3:34: unknown name 'y' in event machine actor actor [/events/inc/effects]"]);
    expect(errors(ev(`"actor": "a"`))[0]).toMatch(/a machine has either "processes" or "events" \(a single-actor event machine\), none given/);
    expect(errors(ev(`"events": { "inc": {} }, "processes": { "p": { "steps": [{ "label": "a" }] } }`))[0]).toMatch(/not both/);
  });
  it("rejects primitives inside larger expressions and in guards", () => {
    expect(errors(spec(`{ "label": "a", "effects": "k = test_and_set_bit(0, x) ? 1 : 0" }`))).toEqual([
      "specs/m.json:8:37: test_and_set_bit() may only be a whole statement or the value of an assignment [/processes/p/steps/0/effects]",
    ]);
  });
});

describe("liveness property checks", () => {
  const live = (body: string) => `{
  "$schema": "../schema/machine.schema.json",
  "kind": "machine",
  "name": "t.l",
  "doc": "d",
  "vars": { "x": { "type": "int", "max": 3 } },
  "processes": { "p": { "steps": [{ "label": "a", "effects": "x = 1" }] } },
  "liveness": { ${body} }
}`;
  it("accepts eventually and leads_to with declared fair processes", () => {
    expect(errors(live(`"e": { "eventually": "x == 1" }, "l": { "when": "x == 0", "leads_to": "x != 0", "fair": ["p"] }`))).toEqual([]);
  });
  it("points inside the expression at unknown names and type errors", () => {
    expect(errors(live(`"e": { "eventually": "y == 1" }`))).toEqual(["specs/m.json:8:39: unknown name 'y' in machine t.l [/liveness/e/eventually]"]);
    expect(errors(live(`"l": { "when": "x + 1", "leads_to": "x == 2" }`))).toEqual(["specs/m.json:8:33: expected a bool, got u32 [/liveness/l/when]"]);
  });
  it("refuses unknown fair processes and incomplete or mixed properties", () => {
    expect(errors(live(`"l": { "eventually": "x == 1", "fair": ["q"] }`))).toEqual(['specs/m.json:8:57: liveness property "l" declares unknown process "q" fair (did you mean "p"?) [/liveness/l/fair/0]']);
    expect(errors(live(`"l": { "when": "x == 1" }`))).toEqual(['specs/m.json:8:17: liveness property "l" needs either "eventually", or "when" and "leads_to" [/liveness/l]']);
    expect(errors(live(`"l": { "eventually": "x == 1", "leads_to": "x == 2" }`))[0]).toMatch(/needs either "eventually", or "when" and "leads_to"/);
  });
});
