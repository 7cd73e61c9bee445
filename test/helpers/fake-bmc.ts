// A minimal system-interface BMC for transport tests: Get Device ID, BMC Global Enables (whose
// bit 0 edges drive the VM's IRQ enable, as ipmi_sim does), message flags for attention, and a
// Cold Reset that resets the VM so "control after the response" can be observed.

import type { ExternChardevServer, SystemInterfaceBmc, SystemRequest, SystemResponse } from '../../src/transport/extern-chardev.js';
import { hex } from './bytes.js';

export const deviceId = hex`20 81 05 02 02 07 a0 aa a1 00 01`;

/** Just enough of a BMC: Get Device ID, Global Enables (driving the IRQ controls), message flags. */
export class FakeBmc implements SystemInterfaceBmc {
  readonly requests: SystemRequest[] = [];
  server: ExternChardevServer | undefined;
  globalEnables = 0x08;
  flags = 0;
  /** Overrides the next answers, for error-path tests. */
  next: (() => SystemResponse) | undefined;

  dispatchSystem(req: SystemRequest): SystemResponse {
    this.requests.push(req);
    if (this.next) return this.next();
    if (req.netFn !== 0x06) return { cc: 0xc1, data: hex`` };
    switch (req.cmd) {
      case 0x01:
        return { cc: 0, data: deviceId };
      case 0x2e: {
        const value = req.data[0] ?? 0;
        // As ipmi_sim: bit 0 (receive message queue interrupt) edges become 05/06 (§1.4).
        if ((value & 1) !== (this.globalEnables & 1)) this.server?.setIrqEnabled((value & 1) === 1);
        this.globalEnables = value;
        return { cc: 0, data: hex`` };
      }
      case 0x2f:
        return { cc: 0, data: Uint8Array.of(this.globalEnables) };
      case 0x30:
        this.flags &= ~(req.data[0] ?? 0);
        return { cc: 0, data: hex`` };
      case 0x02: // Cold Reset: pretend it resets the machine, to exercise "after the response".
        this.server?.reset();
        return { cc: 0, data: hex`` };
      default:
        return { cc: 0xc1, data: hex`` };
    }
  }

  attention(): { pending: boolean; irqEnabled: boolean } {
    return { pending: this.flags !== 0, irqEnabled: (this.globalEnables & 1) === 1 };
  }
}
