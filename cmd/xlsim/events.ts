/**
 * xlsim: `xlsim events`: the host event log. Placeholder for the layer above the simulated host; its
 * commands register here with registerXlsimCommands((y, ctx) => y.command(...)).
 */
export {};
