// Whether a host name or address stays on this machine: decides when serve refuses a default
// password and when qemu-args warns that a chardev is reachable from elsewhere.

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\./i.test(host);
}
