/** Typed errors of the page-table runtime; every failed operation leaves the page table unchanged. */

export type PageTableErrorCode = "ENOMEM" | "EINVAL" | "ERANGE";

export class PageTableError extends Error {
  override name = "PageTableError";
  constructor(
    readonly code: PageTableErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The frame allocator had no frame for a page table (Xen's -ENOMEM from map_pages_to_xen). */
export class OutOfMemoryError extends PageTableError {
  override name = "OutOfMemoryError";
  constructor(readonly operation: string) {
    super("ENOMEM", `${operation}: no frame for a page table; nothing was changed`);
  }
}

/** An argument that is not what the operation accepts: misaligned, not an integer, bad flags. */
export class InvalidArgumentError extends PageTableError {
  override name = "InvalidArgumentError";
  constructor(message: string) {
    super("EINVAL", message);
  }
}

/** A range outside the virtual address space, or frames beyond PADDR_BITS. */
export class AddressRangeError extends PageTableError {
  override name = "AddressRangeError";
  constructor(message: string) {
    super("ERANGE", message);
  }
}
