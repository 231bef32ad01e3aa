'use strict';
/**
 * Preloaded into n8n (NODE_OPTIONS=--require) during the e2e run: records every DNS lookup of, and socket
 * connect to, anything but loopback in $E2E_OUTBOUND_LOG, so the run can prove it stayed on this machine.
 * It only records; the check at the end of the run fails on any line.
 */
const dns = require('dns');
const fs = require('fs');
const net = require('net');

const logFile = process.env.E2E_OUTBOUND_LOG;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;

function record(kind, target) {
	if (target === undefined || LOOPBACK.test(String(target))) return;
	const caller = new Error().stack.split('\n').slice(3, 6).map((line) => line.trim()).join(' < ');
	fs.appendFileSync(logFile, `pid ${process.pid} ${kind} ${target} at ${caller}\n`);
}

if (logFile) {
	const lookup = dns.lookup;
	dns.lookup = function (host, ...rest) {
		record('dns lookup', host);
		return lookup.call(this, host, ...rest);
	};
	const promisesLookup = dns.promises.lookup;
	dns.promises.lookup = function (host, ...rest) {
		record('dns lookup', host);
		return promisesLookup.call(this, host, ...rest);
	};
	const connect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function (...args) {
		// net.connect() passes its arguments on normalized as [[options, callback]].
		const [first, second] = Array.isArray(args[0]) ? args[0] : args;
		// Unix sockets (a `path`, or a string first argument) are local by definition.
		if (first && typeof first === 'object' && !first.path) {
			record('connect', first.host ?? 'localhost');
		} else if (typeof first === 'number' || /^\d+$/.test(String(first))) {
			record('connect', typeof second === 'string' ? second : 'localhost');
		}
		return connect.apply(this, args);
	};
}
