/** The one expression language of hwspec: parse, check, evaluate, and print for each target. */
export type {
  AssignOp,
  AssignStmt,
  BinaryExpr,
  BinaryOp,
  BoolExpr,
  CallExpr,
  CallStmt,
  CondExpr,
  Expr,
  NumExpr,
  RefExpr,
  Span,
  Stmt,
  UnaryExpr,
  UnaryOp,
} from "./ast.ts";
export { calls, children, refs, storedValue, walk } from "./ast.ts";
export type { ParseEffectsResult, ParseError, ParseResult } from "./parser.ts";
export { parseEffects, parseExpr } from "./parser.ts";
export type { BoolType, EnumType, ExprType, IntType } from "./types.ts";
export { BOOL, formatType, intType, sameKind, UNSIZED } from "./types.ts";
export type { CheckEffectsResult, CheckError, CheckResult, Scope, TypeMap } from "./check.ts";
export { checkEffects, checkExpr, exprWord } from "./check.ts";
export type { EffectEnv, EvalEnv, EvalOptions, Value } from "./evaluate.ts";
export { EvalError, evaluate, execEffects } from "./evaluate.ts";
export type { Naming } from "./emit-common.ts";
export { EmitError } from "./emit-common.ts";
export { formatEffects, formatExpr, formatStmt } from "./format.ts";
export type { EmitTsOptions } from "./emit-ts.ts";
export { emitTs, emitTsEffects } from "./emit-ts.ts";
export type { EmitCOptions } from "./emit-c.ts";
export { emitC, emitCEffects } from "./emit-c.ts";
export type { EmitPromelaOptions } from "./emit-promela.ts";
export { emitPromela, emitPromelaEffects } from "./emit-promela.ts";
