/**
 * xlsim: inspection of memory maps, paging, emulation, log-dirty, altp2m. Placeholder for the layer above the simulated host; its
 * commands register here with registerXlsimCommands((y, ctx) => y.command(...)).
 */
export {};
