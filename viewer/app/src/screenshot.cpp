#include "screenshot.h"

#define GL_GLEXT_PROTOTYPES 0
#include <GLFW/glfw3.h>
#include <GL/glext.h>
#include <stb_image_write.h>  // implementation comes from libstb (pkg-config stb)

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace gmps::viewer {
namespace {

// Framebuffer objects are GL 3.0 core; fetch them through GLFW like the ImGui
// backend fetches its own functions, instead of relying on libGL's exports.
struct FboApi {
  PFNGLGENFRAMEBUFFERSPROC genFramebuffers = nullptr;
  PFNGLBINDFRAMEBUFFERPROC bindFramebuffer = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC deleteFramebuffers = nullptr;
  PFNGLGENRENDERBUFFERSPROC genRenderbuffers = nullptr;
  PFNGLBINDRENDERBUFFERPROC bindRenderbuffer = nullptr;
  PFNGLDELETERENDERBUFFERSPROC deleteRenderbuffers = nullptr;
  PFNGLRENDERBUFFERSTORAGEPROC renderbufferStorage = nullptr;
  PFNGLFRAMEBUFFERRENDERBUFFERPROC framebufferRenderbuffer = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC checkFramebufferStatus = nullptr;

  bool load() {
    auto get = [](const char* n) { return glfwGetProcAddress(n); };
    genFramebuffers = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(get("glGenFramebuffers"));
    bindFramebuffer = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(get("glBindFramebuffer"));
    deleteFramebuffers =
        reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(get("glDeleteFramebuffers"));
    genRenderbuffers = reinterpret_cast<PFNGLGENRENDERBUFFERSPROC>(get("glGenRenderbuffers"));
    bindRenderbuffer = reinterpret_cast<PFNGLBINDRENDERBUFFERPROC>(get("glBindRenderbuffer"));
    deleteRenderbuffers =
        reinterpret_cast<PFNGLDELETERENDERBUFFERSPROC>(get("glDeleteRenderbuffers"));
    renderbufferStorage =
        reinterpret_cast<PFNGLRENDERBUFFERSTORAGEPROC>(get("glRenderbufferStorage"));
    framebufferRenderbuffer =
        reinterpret_cast<PFNGLFRAMEBUFFERRENDERBUFFERPROC>(get("glFramebufferRenderbuffer"));
    checkFramebufferStatus =
        reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(get("glCheckFramebufferStatus"));
    return genFramebuffers && bindFramebuffer && deleteFramebuffers && genRenderbuffers &&
           bindRenderbuffer && deleteRenderbuffers && renderbufferStorage &&
           framebufferRenderbuffer && checkFramebufferStatus;
  }
};

FboApi& fbo() {
  static FboApi api;  // function pointers of the one GL context, loaded once
  return api;
}

}  // namespace

OffscreenTarget::~OffscreenTarget() {
  if (fbo_ != 0) fbo().deleteFramebuffers(1, &fbo_);
  if (color_ != 0) fbo().deleteRenderbuffers(1, &color_);
}

std::string OffscreenTarget::create(int w, int h) {
  if (!fbo().load()) return "OpenGL framebuffer objects are not available";
  w_ = w;
  h_ = h;
  fbo().genRenderbuffers(1, &color_);
  fbo().bindRenderbuffer(GL_RENDERBUFFER, color_);
  fbo().renderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  fbo().genFramebuffers(1, &fbo_);
  fbo().bindFramebuffer(GL_FRAMEBUFFER, fbo_);
  fbo().framebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color_);
  GLenum st = fbo().checkFramebufferStatus(GL_FRAMEBUFFER);
  fbo().bindFramebuffer(GL_FRAMEBUFFER, 0);
  if (st != GL_FRAMEBUFFER_COMPLETE) return "off-screen framebuffer is incomplete";
  return "";
}

void OffscreenTarget::bind() const { fbo().bindFramebuffer(GL_FRAMEBUFFER, fbo_); }
void OffscreenTarget::unbind() const { fbo().bindFramebuffer(GL_FRAMEBUFFER, 0); }

std::vector<uint8_t> OffscreenTarget::readRGBA() const {
  std::vector<uint8_t> px(size_t(w_) * size_t(h_) * 4);
  bind();
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w_, h_, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  unbind();
  flipRows(px, w_, h_);
  return px;
}

void flipRows(std::vector<uint8_t>& rgba, int w, int h) {
  size_t row = size_t(w) * 4;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < h / 2; y++) {
    uint8_t* a = rgba.data() + size_t(y) * row;
    uint8_t* b = rgba.data() + size_t(h - 1 - y) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
}

std::string writePNG(const std::string& path, const std::vector<uint8_t>& rgba, int w, int h) {
  std::string tmp = path + ".tmp";
  if (stbi_write_png(tmp.c_str(), w, h, 4, rgba.data(), w * 4) == 0) {
    std::string err = path + ": cannot write screenshot: " + std::strerror(errno ? errno : EIO);
    std::remove(tmp.c_str());
    return err;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = path + ": cannot write screenshot: " + std::strerror(errno);
    std::remove(tmp.c_str());
    return err;
  }
  return "";
}

std::string checkWritable(const std::string& path) {
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return path + ": cannot write screenshot: " + std::strerror(errno);
  std::fclose(f);
  std::remove(tmp.c_str());
  return "";
}

}  // namespace gmps::viewer
