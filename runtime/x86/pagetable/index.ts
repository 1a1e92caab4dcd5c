export * from "./errors.ts";
export * from "./flush.ts";
export * from "./frames.ts";
export * from "./inspect.ts";
export * from "./pagetable.ts";
export * from "./walk.ts";
