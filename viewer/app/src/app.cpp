// app.cpp — the viewer's process: GLFW window, OpenGL context, ImGui backends, the
// main loop, and the two headless modes (--screenshot, the frame-time benchmark).
//
// [SECTION] Window and context
// [SECTION] Main loop
// [SECTION] Screenshot and benchmark
// [SECTION] Entry point
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bench_stats.h"
#include "core/ruler.h"
#include "core/settings.h"
#include "gl_renderer.h"
#include "gmpscope/viewer/viewer.h"
#include "screenshot.h"
#include "theme.h"
#include "ui.h"

namespace gmps::viewer {
namespace {

using Clock = std::chrono::steady_clock;

int glfwKeyOf(const std::string& k) {
  if (k.size() == 1 && k[0] >= 'a' && k[0] <= 'z') return GLFW_KEY_A + (k[0] - 'a');
  if (k.size() == 1 && k[0] >= '0' && k[0] <= '9') return GLFW_KEY_0 + (k[0] - '0');
  if (k == "[") return GLFW_KEY_LEFT_BRACKET;
  if (k == "]") return GLFW_KEY_RIGHT_BRACKET;
  if (k == "esc") return GLFW_KEY_ESCAPE;
  if (k == "enter") return GLFW_KEY_ENTER;
  if (k == "home") return GLFW_KEY_HOME;
  if (k == "f1") return GLFW_KEY_F1;
  if (k == "f5") return GLFW_KEY_F5;
  if (k == "left") return GLFW_KEY_LEFT;
  if (k == "right") return GLFW_KEY_RIGHT;
  if (k == "space") return GLFW_KEY_SPACE;
  if (k == "minus") return GLFW_KEY_MINUS;
  if (k == "equal") return GLFW_KEY_EQUAL;
  if (k == "pageup") return GLFW_KEY_PAGE_UP;
  if (k == "pagedown") return GLFW_KEY_PAGE_DOWN;
  return -1;
}

// InputPlayer plays an input script one frame at a time, writing the mouse and
// keyboard state into ImGui's io after the GLFW backend's NewFrame (which would
// otherwise read the real, absent, devices). The viewer's own input code then runs
// exactly as for a person.
class InputPlayer {
 public:
  InputPlayer() = default;
  explicit InputPlayer(std::vector<InputStep> steps) : steps_(std::move(steps)) {}
  bool done() const { return i_ >= steps_.size(); }

  // apply sets this frame's input; a dropped file comes back in drop.
  void apply(ImGuiIO& io, std::string& drop) {
    for (int k : held_) io.KeysDown[k] = false;
    held_.clear();
    io.MouseWheel = 0;
    io.KeyCtrl = io.KeyShift = false;
    if (!done()) step(io, drop);
    io.MousePos = mouse_;
    io.MouseDown[0] = down_[0];
    io.MouseDown[1] = down_[1];
  }

 private:
  void next() {
    i_++;
    phase_ = 0;
  }
  void press(ImGuiIO& io, const InputStep& s) {
    int k = glfwKeyOf(s.key);
    if (k >= 0) io.KeysDown[k] = true, held_.push_back(k);
    io.KeyCtrl = s.ctrl;
    io.KeyShift = s.shift;
  }
  void step(ImGuiIO& io, std::string& drop) {
    const InputStep& s = steps_[i_];
    int ph = phase_++;
    switch (s.kind) {
      case InputStep::Kind::Move: mouse_ = ImVec2(s.x0, s.y0); next(); break;
      case InputStep::Kind::Click:
        down_[s.button] = ph == 0;
        if (ph == 1) next();
        break;
      case InputStep::Kind::DoubleClick:
        down_[0] = ph == 0 || ph == 2;
        if (ph == 3) next();
        break;
      case InputStep::Kind::Drag: {
        // As a hand does it: get there, press, move in a few steps, let go.
        constexpr int kMoves = 5;
        float t = std::clamp(float(ph - 1) / kMoves, 0.f, 1.f);
        mouse_ = ImVec2(s.x0 + (s.x1 - s.x0) * t, s.y0 + (s.y1 - s.y0) * t);
        down_[s.button] = ph >= 1 && ph <= kMoves + 1;
        if (ph == kMoves + 2) next();
        break;
      }
      case InputStep::Kind::Wheel:
        io.MouseWheel = float(s.n);
        io.KeyShift = s.shift;
        next();
        break;
      case InputStep::Kind::Key:
        if (ph == 0) press(io, s);
        else next();
        break;
      case InputStep::Kind::Hold:
        press(io, s);
        if (ph + 1 >= s.n) next();
        break;
      case InputStep::Kind::Char: io.AddInputCharactersUTF8(s.key.c_str()); next(); break;
      case InputStep::Kind::Wait:
        if (ph + 1 >= s.n) next();
        break;
      case InputStep::Kind::Drop: drop = s.key; next(); break;
    }
  }

  std::vector<InputStep> steps_;
  size_t i_ = 0;
  int phase_ = 0;
  ImVec2 mouse_{-FLT_MAX, -FLT_MAX};
  bool down_[2] = {false, false};
  std::vector<int> held_;
};

void glfwError(int code, const char* what) {
  // Reported by run() when window creation fails; keep the detail for that message.
  (void)code;
  (void)what;
}

class App {
 public:
  explicit App(const Options& o) : opts_(o), headless_(!o.screenshot.empty() || o.benchFrames > 0) {
    if (!headless_ && !o.ignoreSettings) {
      settingsFile_ = settingsPath();
      settings_ = loadSettings(settingsFile_);
    }
  }

  int run();

 private:
  std::string openWindow();
  std::string setupImGui();  // "" or what failed
  void rebuildFonts(float size);
  // renderFrame builds and draws a frame; uiMs (if given) gets the time ImGui and the
  // viewer took, submitMs the time handing the triangles to GL took.
  void renderFrame(bool toOffscreen, double* uiMs, double* submitMs = nullptr);
  int runInteractive();
  int runScreenshot();
  int runBench();
  void shutdown();
  void rememberWindow();
  void dumpLayout();  // where lanes are, for tests (GMPSCOPE_VIEWER_LAYOUT=FILE)

  static void onDrop(GLFWwindow* w, int n, const char** paths) {
    auto* app = static_cast<App*>(glfwGetWindowUserPointer(w));
    if (app && n > 0) app->ui_->open(paths[0]);
  }
  static void onInput(GLFWwindow* w) {
    if (auto* app = static_cast<App*>(glfwGetWindowUserPointer(w))) app->quietFrames_ = 0;
  }

  Options opts_;
  bool headless_;
  // GMPSCOPE_RENDERER=imgui draws with ImGui's own OpenGL3 backend instead of
  // GlRenderer: the pictures must be the same (tests/viewer/screenshot_test.cpp).
  bool imguiBackend_ = [] {
    const char* r = std::getenv("GMPSCOPE_RENDERER");
    return r != nullptr && std::string(r) == "imgui";
  }();
  std::string settingsFile_;
  Settings settings_;
  GLFWwindow* win_ = nullptr;
  std::unique_ptr<Ui> ui_;
  GlRenderer renderer_;
  OffscreenTarget target_;
  int quietFrames_ = 0;  // frames drawn since the last input event
  InputPlayer player_;   // --screenshot's scripted user
  bool scripting_ = false;  // the script runs once the trace has loaded and settled
  bool imguiReady_ = false;
};

// ---------------------------------------------------------------------------
// [SECTION] Window and context

std::string App::openWindow() {
  glfwSetErrorCallback(glfwError);
  // A busy X server (Xvfb under a loaded test run) can refuse a connection for a
  // moment: try a few times before giving up.
  bool ok = glfwInit();
  for (int i = 0; !ok && i < 5 && std::getenv("DISPLAY") != nullptr; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ok = glfwInit();
  }
  if (!ok) {
    const char* disp = std::getenv("DISPLAY");
    if (disp == nullptr || disp[0] == '\0')
      return "cannot open a window: no display (DISPLAY is not set; run under xvfb-run for "
             "--screenshot)";
    return std::string("cannot open a window on display ") + disp;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_VISIBLE, opts_.screenshot.empty() ? GLFW_TRUE : GLFW_FALSE);
  // ImGui draws flat 2D: no depth or stencil buffer to allocate and clear each frame
  // (with software GL, clearing them cost as much as drawing the frame).
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  int w = opts_.width, h = opts_.height;
  if (!headless_) {
    w = settings_.winW;
    h = settings_.winH;
    if (settings_.maximized) glfwWindowHint(GLFW_MAXIMIZED, GLFW_TRUE);
  }
  std::string title = "gmpscope";
  if (!opts_.file.empty()) title += " — " + opts_.file;
  win_ = glfwCreateWindow(w, h, title.c_str(), nullptr, nullptr);
  if (win_ == nullptr) {
    // Some servers have no 3.3 core profile: fall back to whatever GL 3.0 gives.
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, opts_.screenshot.empty() ? GLFW_TRUE : GLFW_FALSE);
    win_ = glfwCreateWindow(w, h, title.c_str(), nullptr, nullptr);
  }
  if (win_ == nullptr) return "cannot create an OpenGL 3 window";
  if (!headless_ && settings_.winX > -10000 && settings_.winY > -10000 && !settings_.maximized)
    glfwSetWindowPos(win_, settings_.winX, settings_.winY);
  glfwMakeContextCurrent(win_);
  glfwSwapInterval(headless_ ? 0 : 1);
  glfwSetWindowUserPointer(win_, this);
  glfwSetDropCallback(win_, onDrop);
  // Installed before ImGui's, which chain to them: any input wakes the idle loop.
  glfwSetCursorPosCallback(win_, [](GLFWwindow* w, double, double) { onInput(w); });
  glfwSetMouseButtonCallback(win_, [](GLFWwindow* w, int, int, int) { onInput(w); });
  glfwSetScrollCallback(win_, [](GLFWwindow* w, double, double) { onInput(w); });
  glfwSetKeyCallback(win_, [](GLFWwindow* w, int, int, int, int) { onInput(w); });
  glfwSetCharCallback(win_, [](GLFWwindow* w, unsigned) { onInput(w); });
  glfwSetWindowSizeCallback(win_, [](GLFWwindow* w, int, int) { onInput(w); });
  return "";
}

std::string App::setupImGui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout lives in viewer.ini, not imgui.ini
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  ImGui_ImplGlfw_InitForOpenGL(win_, true);
  if (imguiBackend_) {
    ImGui_ImplOpenGL3_Init("#version 130");
  } else if (!renderer_.init()) {
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    return "cannot build the OpenGL shaders";
  }
  applyStyle(settings_.lightTheme);
  ui_ = std::make_unique<Ui>(settings_, headless_ || opts_.ignoreSettings);
  rebuildFonts(settings_.fontSize);
  imguiReady_ = true;
  return "";
}

void App::rebuildFonts(float size) {
  Fonts f = loadFonts(size);
  if (imguiBackend_) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  } else {
    renderer_.destroyFontsTexture();
    renderer_.createFontsTexture();
  }
  ui_->setFonts(f);
}

void App::rememberWindow() {
  if (headless_ || opts_.ignoreSettings || win_ == nullptr) return;
  settings_.maximized = glfwGetWindowAttrib(win_, GLFW_MAXIMIZED) != 0;
  if (!settings_.maximized) {
    glfwGetWindowPos(win_, &settings_.winX, &settings_.winY);
    glfwGetWindowSize(win_, &settings_.winW, &settings_.winH);
  }
  std::string err = saveSettings(settingsFile_, settings_);
  if (!err.empty()) std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
}

void App::shutdown() {
  if (imguiReady_) {
    ui_.reset();  // joins a load still running
    if (imguiBackend_) {
      ImGui_ImplOpenGL3_Shutdown();
    } else {
      renderer_.shutdown();
    }
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    imguiReady_ = false;
  }
  if (win_ != nullptr) glfwDestroyWindow(win_);
  win_ = nullptr;
  glfwTerminate();
}

// ---------------------------------------------------------------------------
// [SECTION] Main loop

void App::renderFrame(bool toOffscreen, double* uiMs, double* submitMs) {
  float size = 0;
  if (ui_->fontRequest(size)) rebuildFonts(size);
  auto t0 = Clock::now();
  if (imguiBackend_) ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (toOffscreen) {
    // A hidden window's size is what we asked for; make sure ImGui agrees with the FBO.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(target_.width()), float(target_.height()));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    // Off-screen frames take no fixed time: count each as 1/60 s so that what depends
    // on time (replay, the scheduler panel's moves, key repeat) is the same on every run.
    io.DeltaTime = 1.f / 60.f;
    if (scripting_) {
      std::string drop;
      player_.apply(io, drop);
      if (!drop.empty()) ui_->open(drop);
    } else {
      io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no mouse until the script starts
    }
  }
  ImGui::NewFrame();
  ui_->frame();
  ImGui::Render();
  if (uiMs) *uiMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  int fw = 0, fh = 0;
  if (toOffscreen) {
    target_.bind();
    fw = target_.width(), fh = target_.height();
  } else {
    glfwGetFramebufferSize(win_, &fw, &fh);
  }
  glViewport(0, 0, fw, fh);
  // The host window has no background of its own: the clear paints it.
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  auto t1 = Clock::now();
  if (imguiBackend_) {
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  } else {
    renderer_.render(*ImGui::GetDrawData());
  }
  if (submitMs) *submitMs = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
  if (toOffscreen) target_.unbind();
}

int App::runInteractive() {
  if (!opts_.file.empty())
    ui_->open(opts_.file);
  else if (opts_.tutorial.empty())
    ui_->showFileBrowser();
  int frames = 0;
  while (!glfwWindowShouldClose(win_)) {
    if (opts_.maxFrames > 0 && frames++ >= opts_.maxFrames && !ui_->loading()) break;
    // Sleep while nothing happens; any input, a load in progress or a held key keeps
    // frames coming (and a few more after the last input so ImGui settles).
    if (ui_->busy() || quietFrames_ < 4)
      glfwPollEvents();
    else
      glfwWaitEventsTimeout(0.5);
    quietFrames_++;
    renderFrame(false, nullptr);
    glfwSwapBuffers(win_);
  }
  rememberWindow();
  dumpLayout();
  return 0;
}

void App::dumpLayout() {
  if (const char* dump = std::getenv("GMPSCOPE_VIEWER_LAYOUT"); dump && dump[0]) {
    std::ofstream out(dump);
    out << ui_->layoutJson();
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Screenshot and benchmark

int App::runScreenshot() {
  std::string err = target_.create(opts_.width, opts_.height);
  if (!err.empty()) {
    std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
    return 1;
  }
  if (!opts_.file.empty()) ui_->open(opts_.file);
  // Load, then a few frames so fonts, layout and scroll settle (ImGui sizes windows
  // and tables over the first frames).
  auto deadline = Clock::now() + std::chrono::minutes(5);
  int settle = 0;
  while (settle < 6 && Clock::now() < deadline) {
    glfwPollEvents();
    renderFrame(true, nullptr);
    if (ui_->loading()) {
      glfwWaitEventsTimeout(0.005);
      settle = 0;  // a guided step may load another run's trace: settle after that too
    } else {
      settle++;
    }
  }
  // The scripted user, if any, then a few frames for hover and layout to settle.
  scripting_ = true;
  for (int after = 0; (!player_.done() || after < 4) && Clock::now() < deadline;) {
    glfwPollEvents();
    renderFrame(true, nullptr);
    if (ui_->loading()) continue;  // a dropped file loads before the script goes on
    if (player_.done()) after++;
  }
  std::vector<uint8_t> px = target_.readRGBA();
  err = writePNG(opts_.screenshot, px, opts_.width, opts_.height);
  if (!err.empty()) {
    std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
    return 1;
  }
  dumpLayout();
  if (!ui_->loadError().empty()) {
    // The PNG shows the error as the window would; the exit code says it failed.
    std::fprintf(stderr, "gmpscope view: %s\n", ui_->loadError().c_str());
    return 1;
  }
  return 0;
}

int App::runBench() {
  if (opts_.file.empty()) {
    std::fprintf(stderr, "gmpscope view: the benchmark needs a trace file\n");
    return 1;
  }
  auto t0 = Clock::now();
  ui_->open(opts_.file);
  while (ui_->loading()) {
    glfwPollEvents();
    renderFrame(false, nullptr);
    glfwSwapBuffers(win_);
  }
  double loadS = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!ui_->loadError().empty()) {
    std::fprintf(stderr, "gmpscope view: %s\n", ui_->loadError().c_str());
    return 1;
  }
  for (int i = 0; i < 5; i++) {  // warm up: fonts, tables, first layout
    renderFrame(false, nullptr);
    glfwSwapBuffers(win_);
  }
  int n = opts_.benchFrames;
  BenchFrames f;
  for (int i = 0; i < n; i++) {
    ui_->benchView(n > 1 ? double(i) / double(n - 1) : 0);
    auto a = Clock::now();
    double cpu0 = processCpuMs();
    glfwPollEvents();
    renderFrame(false, &f.ui.emplace_back(), &f.submit.emplace_back());
    glFinish();  // count the rasterising too (llvmpipe does it on the CPU)
    f.total.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    f.cpu.push_back(processCpuMs() - cpu0);
    glfwSwapBuffers(win_);
    f.presented.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    f.add(*ImGui::GetDrawData(), renderer_.stats());
  }
  std::printf("viewer bench: %s, %zu events, model %.1f MB (%.0f B/event), loaded in %.2f s\n",
              opts_.file.c_str(), ui_->eventCount(), double(ui_->modelBytes()) / 1e6,
              ui_->eventCount() ? double(ui_->modelBytes()) / double(ui_->eventCount()) : 0.0, loadS);
  std::printf("viewer bench: %d frames at %dx%d sweeping fit -> 0.05 ns/px -> fit (GL: %s)\n", n,
              opts_.width, opts_.height, reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  f.print(opts_.width, opts_.height);
  // GMPSCOPE_BENCH_LOG=FILE: every frame's figures as CSV, to find what the slow ones did.
  const char* log = std::getenv("GMPSCOPE_BENCH_LOG");
  if (log != nullptr && log[0] != '\0') f.log(log);
  return 0;
}

int App::run() {
  if (!opts_.screenshot.empty()) {
    opts_.width = std::clamp(opts_.width, 200, 8192);
    opts_.height = std::clamp(opts_.height, 150, 8192);
    std::string err = checkWritable(opts_.screenshot);
    if (!err.empty()) {
      std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
      return 1;
    }
  }
  std::vector<ViewCommand> cmds;
  if (std::string cerr; !parseViewCommands(opts_.commands, cmds, cerr)) {
    std::fprintf(stderr, "gmpscope view: %s\n", cerr.c_str());
    return 1;
  }
  std::vector<InputStep> steps;
  if (std::string ierr; !parseInputScript(opts_.input, steps, ierr)) {
    std::fprintf(stderr, "gmpscope view: %s\n", ierr.c_str());
    return 1;
  }
  player_ = InputPlayer(std::move(steps));
  std::string err = openWindow();
  if (!err.empty()) {
    std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
    if (win_ == nullptr) glfwTerminate();
    return 1;
  }
  err = setupImGui();
  if (!err.empty()) {
    std::fprintf(stderr, "gmpscope view: %s\n", err.c_str());
    shutdown();
    return 1;
  }
  ui_->queueCommands(std::move(cmds));
  if (!opts_.tutorial.empty()) ui_->startGuide(opts_.tutorial, !opts_.file.empty());
  int rc = !opts_.screenshot.empty() ? runScreenshot() : opts_.benchFrames > 0 ? runBench() : runInteractive();
  shutdown();
  return rc;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Entry point

int run(const Options& o) {
  App app(o);
  return app.run();
}

}  // namespace gmps::viewer
