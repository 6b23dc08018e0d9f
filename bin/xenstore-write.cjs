#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xenstore-write', process.argv.slice(2));
