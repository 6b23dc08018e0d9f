/**
 * Loads every xlsim command file, in the order `xlsim --help` lists them.
 * Add a new area by creating its file (which calls registerXlsimCommands)
 * and importing it here.
 */
import './host';
import './clock';
import './guest';
import './events';
import './report';
import './inspect';
import './paging';
import './altp2m';
import './check';
import './lab';
import './wizard';
import './shell';
