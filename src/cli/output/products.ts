// Product names for `mc info`. ipmitool carries a table of ~800 vendor product IDs
// (mostly Supermicro boards); we do not replicate it, so for those vendors our "Product Name"
// line reads "Unknown (0x....)" where ipmitool names the board. Documented in the man page.

export function productName(_manufacturerId: number, productId: number): string {
  return `Unknown (0x${productId.toString(16).toUpperCase().padStart(2, '0')})`;
}
