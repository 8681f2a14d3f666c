// Agent: the unit of work a Runner thread drives. do_work() does a bounded amount of work and returns how much
// (0 = idle). It must not block, throw or allocate after warm-up. Called only from the agent's Runner thread.
#pragma once

namespace polybot {

class Parker;

class Agent {
 public:
  virtual ~Agent() = default;
  [[nodiscard]] virtual const char* name() const noexcept = 0;
  // Called once on the agent's thread before the first do_work().
  virtual void on_start() noexcept {}
  virtual int do_work() noexcept = 0;
  // Called once on the agent's thread after the last do_work().
  virtual void on_close() noexcept {}
  // The thread's parker, so the agent can register it with the channels it consumes (block strategy).
  virtual void attach_parker(Parker* /*parker*/) noexcept {}
  // True when the agent has nothing more to do ever (a finite source drained and its downstream flushed).
  [[nodiscard]] virtual bool done() const noexcept { return false; }
};

}  // namespace polybot
