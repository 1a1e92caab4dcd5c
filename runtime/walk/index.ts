export * from "./errors.ts";
export * from "./show.ts";
export * from "./walk.ts";
