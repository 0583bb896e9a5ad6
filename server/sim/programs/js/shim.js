// The guest side of a Faultline program: Node's process, console, timers, readline and CommonJS
// require on the node's virtual clock, built on a small `host` interface. It runs inside QuickJS
// (where it also installs the globals) and natively (where it touches no global of the host).
"use strict";

/**
 * Creates the runtime of one node incarnation. What the node does (output, timers, notes, exit,
 * uncaught errors) is recorded as effects that each entry point returns, in order, as one string
 * (calls out of the interpreter are what cost most). `host` answers what cannot wait:
 *   sandboxed: boolean      random() -> [0, 1)      storage(op, key, json) -> string | undefined
 *   load(name) -> the file's wrapper function        fileNames() -> JSON array of the files
 *   effects(text): takes the effects so far when they grow large (the host enforces its limits early)
 * Entry points get the node's local time in ms: it does not move during an event.
 */
module.exports = function createShim(host, RealDate, RealMath, globalObject) {
  var sandboxed = host.sandboxed === true;
  var fileSet = new Set(JSON.parse(host.fileNames()));
  var LIBRARY = "(faultline)/node.js";
  var nowMs = 0;

  // ------------------------------------------------------------------ effects

  // Each effect is <kind><length>:<payload>: o stdout, e stderr, T timer "id,ms", C cancel id,
  // N note JSON [name, fields], X exit code, U uncaught error JSON.
  var effects = "";
  var EFFECTS_FLUSH_CHARS = 65536;
  function effect(kind, payload) {
    effects += kind + payload.length + ":" + payload;
    if (effects.length > EFFECTS_FLUSH_CHARS) host.effects(takeEffects());
  }
  function takeEffects() {
    var out = effects;
    effects = "";
    return out;
  }

  // ------------------------------------------------------------------ events

  function Emitter() {
    this._events = Object.create(null);
  }
  Emitter.prototype.on = function (name, fn) {
    if (typeof fn !== "function") throw new TypeError('The "listener" argument must be of type function');
    var list = this._events[name] || (this._events[name] = []);
    list.push(fn);
    if (this._listenerAdded) this._listenerAdded(name);
    return this;
  };
  Emitter.prototype.addListener = Emitter.prototype.on;
  Emitter.prototype.once = function (name, fn) {
    var self = this;
    function once() {
      self.off(name, once);
      return fn.apply(self, arguments);
    }
    once.listener = fn;
    return this.on(name, once);
  };
  Emitter.prototype.off = function (name, fn) {
    var list = this._events[name];
    if (!list) return this;
    for (var i = list.length - 1; i >= 0; i--) {
      if (list[i] === fn || list[i].listener === fn) {
        list.splice(i, 1);
        break;
      }
    }
    return this;
  };
  Emitter.prototype.removeListener = Emitter.prototype.off;
  Emitter.prototype.removeAllListeners = function (name) {
    if (name === undefined) this._events = Object.create(null);
    else delete this._events[name];
    return this;
  };
  Emitter.prototype.emit = function (name, arg) {
    var list = this._events[name];
    if (!list || list.length === 0) return false;
    if (list.length === 1 && arguments.length === 2) {
      list[0].call(this, arg);
      return true;
    }
    var args = Array.prototype.slice.call(arguments, 1);
    list = list.slice();
    for (var i = 0; i < list.length; i++) list[i].apply(this, args);
    return true;
  };
  Emitter.prototype.listenerCount = function (name) {
    var list = this._events[name];
    return list ? list.length : 0;
  };
  Emitter.prototype.listeners = function (name) {
    return (this._events[name] || []).slice();
  };

  // ------------------------------------------------------------------ microtasks

  // In QuickJS, microtasks are the interpreter's jobs (so they interleave with promises). Natively
  // there are no promises (host promises would not run between events): a queue drained after
  // every entry point.
  var nativeQueue = [];
  function queueMicrotask(fn) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    if (sandboxed) Promise.resolve().then(guardedTask(fn, []));
    else nativeQueue.push(guardedTask(fn, []));
  }
  function nextTick(fn) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    var args = Array.prototype.slice.call(arguments, 1);
    if (sandboxed) Promise.resolve().then(guardedTask(fn, args));
    else nativeQueue.push(guardedTask(fn, args));
  }
  // An exception in a microtask is uncaught, as in Node (it would become a rejection otherwise).
  function guardedTask(fn, args) {
    return function () {
      try {
        fn.apply(undefined, args);
      } catch (e) {
        effect("U", describe(e));
      }
    };
  }
  function drainNative() {
    for (var i = 0; i < nativeQueue.length; i++) nativeQueue[i]();
    nativeQueue.length = 0;
  }

  // ------------------------------------------------------------------ timers (virtual time)

  var timers = new Map();
  var timerCounter = 0;
  function armTimer(ms) {
    var id = ++timerCounter;
    effect("T", id + "," + ms);
    return id;
  }
  function disarmTimer(id) {
    effect("C", String(id));
  }
  function Timeout(fn, args, ms, repeat) {
    this._fn = fn;
    this._args = args;
    this._ms = ms;
    this._repeat = repeat;
    this._id = armTimer(ms);
    timers.set(this._id, this);
  }
  Timeout.prototype.ref = function () {
    return this;
  };
  Timeout.prototype.unref = function () {
    return this;
  };
  Timeout.prototype.hasRef = function () {
    return true;
  };
  Timeout.prototype.refresh = function () {
    if (timers.get(this._id) === this) {
      timers.delete(this._id);
      disarmTimer(this._id);
      this._id = armTimer(this._ms);
      timers.set(this._id, this);
    }
    return this;
  };
  Timeout.prototype[Symbol.toPrimitive] = function () {
    return this._id;
  };
  // Node: a delay that is not a number in [1, 2^31 - 1] ms becomes 1 ms.
  function delayMs(ms) {
    var n = Number(ms);
    return n >= 1 && n <= 2147483647 ? n : 1;
  }
  function setTimeout(fn, ms) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    return new Timeout(fn, arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : [], delayMs(ms), false);
  }
  function setInterval(fn, ms) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    return new Timeout(fn, arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : [], delayMs(ms), true);
  }
  function clearTimeout(t) {
    var id = t instanceof Timeout ? t._id : Number(t);
    var timer = timers.get(id);
    if (timer === undefined) return;
    timers.delete(id);
    disarmTimer(id);
  }
  function fireTimer(id) {
    var t = timers.get(id);
    if (t === undefined) return;
    timers.delete(id);
    if (t._repeat) {
      t._id = armTimer(t._ms);
      timers.set(t._id, t);
    }
    t._fn.apply(undefined, t._args);
  }

  // ------------------------------------------------------------------ formatting (console)

  var MAX_INSPECT_DEPTH = 2;
  var MAX_INSPECT_ITEMS = 100;
  function quote(s) {
    return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
  }
  function keyText(k) {
    return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
  }
  function inspect(v, depth, seen) {
    if (depth === undefined) depth = 0;
    if (typeof v === "string") return depth === 0 ? v : quote(v);
    if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
    if (typeof v === "bigint") return String(v) + "n";
    if (typeof v === "symbol") return v.toString();
    if (typeof v === "function") return v.prototype && /^class[\s{]/.test(Function.prototype.toString.call(v)) ? "[class " + (v.name || "(anonymous)") + "]" : "[Function: " + (v.name || "(anonymous)") + "]";
    if (v === null || typeof v !== "object") return String(v);
    if (v instanceof Error) return v.stack ? errorText(v, v.stack) : String(v);
    if (v instanceof RealDate) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return String(v);
    seen = seen || [];
    if (seen.indexOf(v) >= 0) return "[Circular]";
    return inspectObject(v, depth, seen);
  }
  // An error with its stack, without the frames of the runtime's own files (this shim, the built-in
  // library): they say nothing about the program, and would change whenever the runtime does.
  var BUILTIN_FRAME = /^\s*at .*\((?:faultline:shim\.js|\(faultline\)\/node\.js):\d+:\d+\)$/;
  function errorText(e, stack) {
    var head = String(e.name) + ": " + String(e.message);
    if (typeof stack !== "string") return head + "\n" + stack.replace(/\n$/, "");
    var frames = stack.replace(/\n$/, "").split("\n").filter(function (line) {
      return !BUILTIN_FRAME.test(line);
    });
    return frames.length === 0 ? head : head + "\n" + frames.join("\n");
  }
  function inspectObject(v, depth, seen) {
    var isArray = Array.isArray(v);
    if (depth > MAX_INSPECT_DEPTH) return isArray ? "[Array]" : v instanceof Map ? "[Map]" : v instanceof Set ? "[Set]" : "[Object]";
    seen.push(v);
    var parts = [];
    var count = 0;
    var more = 0;
    function add(text) {
      if (count++ < MAX_INSPECT_ITEMS) parts.push(text);
      else more++;
    }
    var prefix = "";
    if (v instanceof Map) {
      prefix = "Map(" + v.size + ") ";
      v.forEach(function (value, key) {
        add(inspect(key, depth + 1, seen) + " => " + inspect(value, depth + 1, seen));
      });
    } else if (v instanceof Set) {
      prefix = "Set(" + v.size + ") ";
      v.forEach(function (value) {
        add(inspect(value, depth + 1, seen));
      });
    } else if (isArray) {
      for (var i = 0; i < v.length; i++) add(inspect(v[i], depth + 1, seen));
    } else {
      var keys = Object.keys(v);
      for (var j = 0; j < keys.length; j++) add(keyText(keys[j]) + ": " + inspect(v[keys[j]], depth + 1, seen));
    }
    seen.pop();
    if (more > 0) parts.push("... " + more + " more item" + (more > 1 ? "s" : ""));
    if (isArray) return parts.length === 0 ? "[]" : "[ " + parts.join(", ") + " ]";
    return prefix + (parts.length === 0 ? "{}" : "{ " + parts.join(", ") + " }");
  }
  // Node's util.format: %s %d %i %f %j %o %O %c %%, then the other arguments inspected.
  function format() {
    var args = arguments;
    var first = args[0];
    if (args.length === 1 && typeof first === "string") return first;
    var next = 1;
    var out;
    if (typeof first === "string") {
      out = first.replace(/%[sdifjoOc%]/g, function (spec) {
        if (spec === "%%") return "%";
        if (next >= args.length) return spec;
        var a = args[next++];
        switch (spec) {
          case "%s": return typeof a === "string" ? a : inspect(a, 1);
          case "%d": return typeof a === "object" && a !== null ? "NaN" : String(Number(a));
          case "%i": return String(parseInt(a, 10));
          case "%f": return String(parseFloat(a));
          case "%j": try { return JSON.stringify(a); } catch (_e) { return "[Circular]"; }
          case "%c": return "";
          default: return inspect(a, 1);
        }
      });
    } else {
      out = args.length > 0 ? inspect(first) : "";
    }
    for (; next < args.length; next++) out += " " + inspect(args[next]);
    return out;
  }

  // ------------------------------------------------------------------ process and console

  var stdin = new Emitter();
  var stdinBacklog = [];
  stdin.fd = 0;
  stdin.isTTY = false;
  stdin.setEncoding = function () { return this; };
  stdin.resume = function () { return this; };
  stdin.pause = function () { return this; };
  stdin.read = function () { return null; };
  stdin._listenerAdded = function (name) {
    // Like a paused stream, stdin keeps what arrived before anyone listened.
    if (name === "data" && stdinBacklog.length > 0) nextTick(flushBacklog);
  };
  function flushBacklog() {
    var lines = stdinBacklog;
    stdinBacklog = [];
    for (var i = 0; i < lines.length; i++) stdin.emit("data", lines[i]);
  }
  function writer(fd) {
    var stream = new Emitter();
    stream.fd = fd;
    stream.isTTY = false;
    stream.write = function (chunk, encoding, callback) {
      effect(fd === 1 ? "o" : "e", typeof chunk === "string" ? chunk : String(chunk));
      var cb = typeof encoding === "function" ? encoding : callback;
      if (typeof cb === "function") nextTick(cb);
      return true;
    };
    stream.end = function (chunk) {
      if (chunk !== undefined && chunk !== null) stream.write(chunk);
    };
    return stream;
  }
  var stdout = writer(1);
  var stderr = writer(2);

  var hrtime = function (previous) {
    var ns = Math.round(nowMs * 1e6);
    var s = Math.floor(ns / 1e9);
    var rest = ns - s * 1e9;
    if (Array.isArray(previous)) {
      s -= previous[0];
      rest -= previous[1];
      if (rest < 0) { s -= 1; rest += 1e9; }
    }
    return [s, rest];
  };
  hrtime.bigint = function () {
    return BigInt(Math.round(nowMs * 1e6));
  };

  var processObject = new Emitter();
  processObject.stdin = stdin;
  processObject.stdout = stdout;
  processObject.stderr = stderr;
  processObject.argv = ["node", "main"];
  processObject.env = {};
  processObject.platform = "faultline";
  processObject.pid = 1;
  processObject.exitCode = undefined;
  processObject.nextTick = nextTick;
  processObject.hrtime = hrtime;
  processObject.uptime = function () {
    return nowMs / 1000;
  };
  processObject.exit = function (code) {
    effect("X", String(code === undefined ? Number(processObject.exitCode || 0) : Number(code)));
    throw new Error("process.exit");
  };
  processObject.cwd = function () {
    return "/";
  };

  function logTo(stream) {
    return function () {
      stream.write(format.apply(undefined, arguments) + "\n");
    };
  }
  var consoleObject = {
    log: logTo(stdout),
    info: logTo(stdout),
    debug: logTo(stdout),
    warn: logTo(stderr),
    error: logTo(stderr),
    trace: logTo(stderr),
    dir: function (v) {
      stdout.write(inspect(v, 1) + "\n");
    },
  };

  // ------------------------------------------------------------------ readline

  function Interface(options) {
    Emitter.call(this);
    var self = this;
    var input = options && options.input ? options.input : options;
    this.closed = false;
    this.terminal = false;
    this._partial = "";
    this._waiting = [];
    this._lines = [];
    if (input && typeof input.on === "function") {
      var listener = function (chunk) {
        self._data(String(chunk));
      };
      // A whole line from stdin, without making a chunk of it first (the common case, kept fast).
      listener.line = function (line) {
        if (self._partial === "" && !self.closed) self._line(line);
        else self._data(line + "\n");
      };
      // A message for the library's reader, without making its line at all (see deliverMessage).
      listener.message = function (src, dest, bodyText) {
        if (self._partial !== "" || self.closed || self._iterating) return false;
        var lines = self._events.line;
        if (lines === undefined || lines.length !== 1 || typeof lines[0].message !== "function") return false;
        lines[0].message(src, dest, bodyText);
        return true;
      };
      input.on("data", listener);
    }
  }
  Interface.prototype = Object.create(Emitter.prototype);
  Interface.prototype.constructor = Interface;
  Interface.prototype._data = function (text) {
    if (this.closed) return;
    // One whole line, as every message is: no split.
    if (this._partial === "" && text.indexOf("\n") === text.length - 1) {
      this._line(text.charCodeAt(text.length - 2) === 13 ? text.slice(0, -2) : text.slice(0, -1));
      return;
    }
    var parts = (this._partial + text).split(/\r?\n/);
    this._partial = parts.pop();
    for (var i = 0; i < parts.length; i++) this._line(parts[i]);
  };
  Interface.prototype._line = function (line) {
    if (this._iterating) {
      var waiter = this._waiting.shift();
      if (waiter) waiter({ value: line, done: false });
      else this._lines.push(line);
    }
    this.emit("line", line);
  };
  Interface.prototype.close = function () {
    if (this.closed) return;
    this.closed = true;
    this.emit("close");
  };
  Interface.prototype.setPrompt = function () {};
  Interface.prototype.prompt = function () {};
  Interface.prototype.pause = function () { return this; };
  Interface.prototype.resume = function () { return this; };
  Interface.prototype[Symbol.asyncIterator] = function () {
    var self = this;
    this._iterating = true;
    return {
      next: function () {
        if (self._lines.length > 0) return Promise.resolve({ value: self._lines.shift(), done: false });
        return new Promise(function (resolve) {
          self._waiting.push(resolve);
        });
      },
      return: function () {
        self.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: function () {
        return this;
      },
    };
  };
  var readline = {
    createInterface: function (options) {
      return new Interface(options);
    },
    Interface: Interface,
  };

  // ------------------------------------------------------------------ Date and Math

  // The node's local clock, as the entry point was given it. Local time is UTC, so nothing depends
  // on the time zone of the machine that runs the simulation.
  var VirtualDate = makeDate(RealDate, function () { return nowMs; });
  var virtualMath = RealMath;
  var random = function random() {
    return host.random();
  };
  if (sandboxed) {
    Object.defineProperty(RealMath, "random", { value: random, writable: true, configurable: true });
  } else {
    virtualMath = Object.create(RealMath, { random: { value: random, writable: true, configurable: true } });
  }

  // ------------------------------------------------------------------ Faultline's extras

  var faultline = {
    storage: {
      get: function (key) {
        var text = host.storage("get", String(key), "");
        return text === undefined ? undefined : JSON.parse(text);
      },
      set: function (key, value) {
        var text = JSON.stringify(value === undefined ? null : value);
        var result = host.storage("set", String(key), text === undefined ? "null" : text);
        if (typeof result === "string" && result.charAt(0) === "!") throw new Error(result.slice(1));
      },
      delete: function (key) {
        host.storage("delete", String(key), "");
      },
      keys: function () {
        return JSON.parse(host.storage("keys", "", ""));
      },
    },
    note: function (name, fields) {
      effect("N", JSON.stringify([String(name), fields === undefined ? {} : fields]));
    },
  };

  // ------------------------------------------------------------------ require

  var cache = Object.create(null);
  var mainModule;
  function dirname(name) {
    var i = name.lastIndexOf("/");
    return i < 0 ? "" : name.slice(0, i);
  }
  function normalize(path) {
    var out = [];
    var parts = path.split("/");
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (p === "" || p === ".") continue;
      if (p === "..") out.pop();
      else out.push(p);
    }
    return out.join("/");
  }
  function resolve(from, request) {
    if (request === "readline" || request === "faultline" || request === "maelstrom") return request;
    if (!/^\.{0,2}\//.test(request)) return null;
    var base = normalize(request.charAt(0) === "/" ? request : dirname(from) + "/" + request);
    var candidates = [base, base + ".js", base + ".ts", base + "/index.js"];
    for (var i = 0; i < candidates.length; i++) if (fileSet.has(candidates[i])) return candidates[i];
    // A program written for Maelstrom's library requires './node'; without that file, ours.
    if (base === "node" || base === "node.js") return LIBRARY;
    return null;
  }
  function requireFrom(from) {
    function require(request) {
      if (typeof request !== "string") throw new TypeError('The "id" argument must be of type string');
      var name = resolve(from, request);
      if (name === "readline") return readline;
      if (name === "faultline") return faultline;
      if (name === "maelstrom") name = LIBRARY;
      if (name === null) {
        var err = new Error("Cannot find module '" + request + "' from '" + from + "'");
        err.code = "MODULE_NOT_FOUND";
        throw err;
      }
      return load(name).exports;
    }
    require.resolve = function (request) {
      return resolve(from, request);
    };
    require.cache = cache;
    Object.defineProperty(require, "main", { get: function () { return mainModule; } });
    return require;
  }
  function load(name) {
    var cached = cache[name];
    if (cached) return cached;
    var module = { id: name, filename: "/" + name, loaded: false, exports: {}, children: [], paths: [] };
    module.require = requireFrom(name);
    if (mainModule === undefined) mainModule = module;
    cache[name] = module;
    try {
      var wrapper = host.load(name);
      wrapper.call(module.exports, module.exports, module.require, module, "/" + name, "/" + dirname(name),
        processObject, consoleObject, setTimeout, setInterval, clearTimeout, clearTimeout, queueMicrotask,
        VirtualDate, virtualMath);
    } catch (e) {
      delete cache[name];
      throw e;
    }
    module.loaded = true;
    return module;
  }

  // ------------------------------------------------------------------ long native loops (sandbox only)

  // The interpreter checks fuel in bytecode, not inside a native method: indexOf on a sparse array
  // of length 2^32 would loop for minutes without a check. Such methods refuse lengths past this
  // (a dense array that long would not fit in a node's memory anyway).
  var MAX_NATIVE_ARRAY_LENGTH = 16777216;
  var LOOPING_ARRAY_METHODS = ["indexOf", "lastIndexOf", "includes", "every", "some", "forEach", "map", "filter",
    "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex", "join", "toString", "toLocaleString",
    "fill", "copyWithin", "reverse", "splice", "slice", "flat", "flatMap", "sort", "concat", "shift", "unshift",
    "toSorted", "toReversed", "toSpliced", "with"];
  function guardLongArrays(proto) {
    LOOPING_ARRAY_METHODS.forEach(function (name) {
      var native = proto[name];
      if (typeof native !== "function") return;
      var guarded = {
        [name]: function () {
          var length = this === null || this === undefined ? 0 : Number(this.length);
          if (length > MAX_NATIVE_ARRAY_LENGTH) {
            throw new RangeError("Array.prototype." + name + " on a length of " + length + ": the sandbox runs it on at most " + MAX_NATIVE_ARRAY_LENGTH + " elements");
          }
          return native.apply(this, arguments);
        },
      }[name];
      Object.defineProperty(guarded, "length", { value: native.length });
      Object.defineProperty(proto, name, { value: guarded, writable: true, configurable: true, enumerable: false });
    });
  }

  // ------------------------------------------------------------------ globals (sandbox only)

  if (sandboxed) {
    guardLongArrays(Array.prototype);
    var g = globalObject;
    g.global = g;
    g.process = processObject;
    g.console = consoleObject;
    g.setTimeout = setTimeout;
    g.setInterval = setInterval;
    g.clearTimeout = clearTimeout;
    g.clearInterval = clearTimeout;
    g.queueMicrotask = queueMicrotask;
    g.Date = VirtualDate;
    // The interpreter's own Date reads the wall clock: leave no way back to it.
    Object.defineProperty(RealDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  }

  // ------------------------------------------------------------------ entry points

  function describe(e) {
    try {
      if (e instanceof Error) {
        return JSON.stringify({ name: String(e.name), message: String(e.message), stack: String(e.stack || "") });
      }
      return JSON.stringify({ name: "", message: "Uncaught " + inspect(e, 1), stack: "" });
    } catch (_e) {
      return JSON.stringify({ name: "", message: "Uncaught exception (could not be printed)", stack: "" });
    }
  }
  // A line of standard input (a message, or init).
  function deliverLine(line) {
    var data = stdin._events.data;
    if (data !== undefined && data.length === 1 && data[0].line !== undefined) return data[0].line(line);
    var chunk = line + "\n";
    if (stdin.listenerCount("data") > 0) stdin.emit("data", chunk);
    else stdinBacklog.push(chunk);
  }
  // A message, as deliverLine gets it: when stdin's only reader is the built-in library (through
  // readline, as its main() reads), the library takes the parts and parses only the body; the
  // request it makes is the object JSON.parse makes of the line. Anything else gets the line.
  function deliverMessage(src, dest, bodyText) {
    var data = stdin._events.data;
    if (data !== undefined && data.length === 1 && data[0].message !== undefined && data[0].message(src, dest, bodyText)) return;
    deliverLine('{"src":' + quotedId(src) + ',"dest":' + quotedId(dest) + ',"body":' + bodyText + "}");
  }
  // Node ids as JSON strings (the host's JSON.stringify gives the same text: ids are plain ASCII).
  var quotedIds = Object.create(null);
  var quotedIdCount = 0;
  function quotedId(id) {
    var q = quotedIds[id];
    if (q !== undefined) return q;
    q = JSON.stringify(id);
    if (quotedIdCount < 1024) {
      quotedIds[id] = q;
      quotedIdCount++;
    }
    return q;
  }
  // Runs fn at local time `now`; returns the effects, an uncaught error last (E).
  function entry(fn) {
    return function (arg, now) {
      nowMs = Number(now);
      try {
        fn(arg);
        if (!sandboxed) drainNative();
      } catch (e) {
        nativeQueue.length = 0;
        effect("E", describe(e));
      }
      return takeEffects();
    };
  }
  return {
    start: entry(function (main) {
      load(main);
    }),
    deliver: entry(deliverLine),
    // A message: what deliver gets as the line {"src":…,"dest":…,"body":…}, in three parts.
    message: function (src, dest, bodyText, now) {
      nowMs = Number(now);
      try {
        deliverMessage(src, dest, bodyText);
        if (!sandboxed) drainNative();
      } catch (e) {
        nativeQueue.length = 0;
        effect("E", describe(e));
      }
      return takeEffects();
    },
    fire: entry(fireTimer),
    // What the interpreter's jobs (promises) did after the entry point returned.
    flush: takeEffects,
  };
};

/** Date on a virtual clock, with local time read as UTC. */
function makeDate(RealDate, nowMs) {
  function toUtcArgs(args) {
    if (args.length === 0) return [nowMs()];
    if (args.length === 1) {
      var a = args[0];
      if (typeof a === "string") return [parseUtc(a)];
      return [a instanceof RealDate ? a.getTime() : a];
    }
    return [RealDate.UTC.apply(undefined, args)];
  }
  // A date-time string without a zone is local time, which here is UTC.
  function parseUtc(s) {
    var t = RealDate.parse(s);
    if (isNaN(t) || /(?:Z|[+-]\d\d:?\d\d|\b(?:UTC|GMT|UT)\b)\s*$/i.test(s) || /^\d{4}(?:-\d\d){0,2}$/.test(s.trim())) return t;
    return t - new RealDate(t).getTimezoneOffset() * 60000;
  }
  function Date() {
    if (!new.target) return String(new Date());
    return Reflect.construct(RealDate, toUtcArgs(Array.prototype.slice.call(arguments)), new.target);
  }
  var proto = Object.create(RealDate.prototype);
  var utc = ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"];
  utc.forEach(function (part) {
    var get = RealDate.prototype["getUTC" + part];
    var set = RealDate.prototype["setUTC" + part];
    Object.defineProperty(proto, "get" + part, { value: function () { return get.call(this); }, writable: true, configurable: true });
    if (set) Object.defineProperty(proto, "set" + part, { value: function () { return set.apply(this, arguments); }, writable: true, configurable: true });
  });
  var toISO = RealDate.prototype.toISOString;
  var toUTC = RealDate.prototype.toUTCString;
  var methods = {
    constructor: Date,
    getTimezoneOffset: function () { return 0; },
    toString: function () { return isNaN(this.getTime()) ? "Invalid Date" : toUTC.call(this).replace(/ GMT$/, "").replace(/^(\w+), (\d+) (\w+) (\d+) /, "$1 $3 $2 $4 ") + " GMT+0000 (Coordinated Universal Time)"; },
    toDateString: function () { return this.toString().slice(0, 15); },
    toTimeString: function () { return this.toString().slice(16); },
    toLocaleString: function () { return isNaN(this.getTime()) ? "Invalid Date" : toISO.call(this).replace("T", " ").replace(/\.\d+Z$/, ""); },
    toLocaleDateString: function () { return isNaN(this.getTime()) ? "Invalid Date" : toISO.call(this).slice(0, 10); },
    toLocaleTimeString: function () { return isNaN(this.getTime()) ? "Invalid Date" : toISO.call(this).slice(11, 19); },
  };
  Object.keys(methods).forEach(function (k) {
    Object.defineProperty(proto, k, { value: methods[k], writable: true, configurable: true });
  });
  Date.prototype = proto;
  Date.now = function () { return Math.floor(nowMs()); };
  Date.parse = parseUtc;
  Date.UTC = RealDate.UTC;
  return Date;
}
