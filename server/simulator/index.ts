// The fleet simulator (docs/simulator.md): real SDK agents in one process against a real
// server, through a fault proxy. The one part of server/ that runs device-sdk code: it is a
// test and operations tool, never loaded by the server itself.
export { runSimulation } from './simulation.js';
export type { SimulatedServer, SimulationOptions } from './simulation.js';
export { defaultFaultRates, defaultSimulationConfig, FAULTS, parseDuration, parseFaults, resolveSimulationConfig } from './simulation-config.js';
export type { Fault, FaultRates, SimulationConfig } from './simulation-config.js';
export { formatReport, summarise } from './simulation-report.js';
export type { RssEpoch, SimulationReport } from './simulation-report.js';
export { FaultProxy } from './fault-proxy.js';
export type { ProxyCounts } from './fault-proxy.js';
export { SimFleet } from './sim-fleet.js';
export type { FleetStatus, SimFleetOptions } from './sim-fleet.js';
export { SimTerminal } from './sim-terminal.js';
export type { SimTerminalOptions, TerminalCensus } from './sim-terminal.js';
export { PowerCut, PowerSupply } from './power-supply.js';
export { ServerProcess } from './server-process.js';
export { StewardClient, retrying } from './steward-client.js';
export type { RolloutView } from './steward-client.js';
export { Dice } from './dice.js';
export { formatDuration, progressLine } from './simulation-progress.js';
export { FACTORY_VERSION, prepareTarget } from './simulation-setup.js';
export type { SimulationTarget } from './simulation-setup.js';
export { runDemo } from './demo-story.js';
export type { DemoOptions, DemoResult } from './demo-story.js';
export { DemoTimeout, Narrator } from './demo-narrator.js';
export { correctProfile } from './simulation-setup.js';
