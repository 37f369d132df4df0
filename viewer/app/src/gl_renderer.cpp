// gl_renderer.cpp — GlRenderer (gl_renderer.h).
#include "gl_renderer.h"

#define GL_GLEXT_PROTOTYPES 0
#include <GLFW/glfw3.h>  // first: it brings <GL/gl.h>, which <GL/glext.h> needs
// (keep this line between the two, so that sorting includes keeps their order)
#include <GL/glext.h>

#include <cmath>
#include <cstdint>

namespace gmps::viewer {
namespace {

// GL 2+ functions, fetched through GLFW as screenshot.cpp fetches its own (not from
// libGL's exports). GL 1.1 comes from <GL/gl.h>.
#define GMPS_GL_FUNCS(X)                                       \
  X(PFNGLACTIVETEXTUREPROC, ActiveTexture)                     \
  X(PFNGLATTACHSHADERPROC, AttachShader)                       \
  X(PFNGLBINDATTRIBLOCATIONPROC, BindAttribLocation)           \
  X(PFNGLBINDBUFFERPROC, BindBuffer)                           \
  X(PFNGLBINDVERTEXARRAYPROC, BindVertexArray)                 \
  X(PFNGLBLENDEQUATIONPROC, BlendEquation)                     \
  X(PFNGLBLENDFUNCSEPARATEPROC, BlendFuncSeparate)             \
  X(PFNGLBUFFERDATAPROC, BufferData)                           \
  X(PFNGLCOMPILESHADERPROC, CompileShader)                     \
  X(PFNGLCREATEPROGRAMPROC, CreateProgram)                     \
  X(PFNGLCREATESHADERPROC, CreateShader)                       \
  X(PFNGLDELETEBUFFERSPROC, DeleteBuffers)                     \
  X(PFNGLDELETEPROGRAMPROC, DeleteProgram)                     \
  X(PFNGLDELETESHADERPROC, DeleteShader)                       \
  X(PFNGLDELETEVERTEXARRAYSPROC, DeleteVertexArrays)           \
  X(PFNGLENABLEVERTEXATTRIBARRAYPROC, EnableVertexAttribArray) \
  X(PFNGLGENBUFFERSPROC, GenBuffers)                           \
  X(PFNGLGENVERTEXARRAYSPROC, GenVertexArrays)                 \
  X(PFNGLGETPROGRAMIVPROC, GetProgramiv)                       \
  X(PFNGLGETSHADERIVPROC, GetShaderiv)                         \
  X(PFNGLGETUNIFORMLOCATIONPROC, GetUniformLocation)           \
  X(PFNGLLINKPROGRAMPROC, LinkProgram)                         \
  X(PFNGLSHADERSOURCEPROC, ShaderSource)                       \
  X(PFNGLUNIFORM1IPROC, Uniform1i)                             \
  X(PFNGLUNIFORMMATRIX4FVPROC, UniformMatrix4fv)               \
  X(PFNGLUSEPROGRAMPROC, UseProgram)                           \
  X(PFNGLVERTEXATTRIBPOINTERPROC, VertexAttribPointer)

struct GlApi {
#define GMPS_GL_MEMBER(type, name) type name = nullptr;
  GMPS_GL_FUNCS(GMPS_GL_MEMBER)
#undef GMPS_GL_MEMBER
  PFNGLDRAWELEMENTSBASEVERTEXPROC DrawElementsBaseVertex = nullptr;  // GL 3.2, optional

  bool load() {
    bool ok = true;
#define GMPS_GL_LOAD(type, name)                                 \
  name = reinterpret_cast<type>(glfwGetProcAddress("gl" #name)); \
  ok = ok && name != nullptr;
    GMPS_GL_FUNCS(GMPS_GL_LOAD)
#undef GMPS_GL_LOAD
    DrawElementsBaseVertex = reinterpret_cast<PFNGLDRAWELEMENTSBASEVERTEXPROC>(
        glfwGetProcAddress("glDrawElementsBaseVertex"));
    return ok;
  }
};

GlApi gl;

// Textured: vertex colour times the font atlas, which is what ImGui's OpenGL3
// backend computes, so text and images come out the same. Solid: the vertex colour
// alone, for triangles whose UV is ImGui's white texel (a multiply by exactly 1).
const char* kVertexTextured = R"(#version 130
uniform mat4 ProjMtx;
in vec2 Position;
in vec2 UV;
in vec4 Color;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0, 1);
}
)";
const char* kFragmentTextured = R"(#version 130
uniform sampler2D Texture;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;
void main() { Out_Color = Frag_Color * texture(Texture, Frag_UV.st); }
)";
const char* kVertexSolid = R"(#version 130
uniform mat4 ProjMtx;
in vec2 Position;
in vec4 Color;
out vec4 Frag_Color;
void main() {
  Frag_Color = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0, 1);
}
)";
const char* kFragmentSolid = R"(#version 130
in vec4 Frag_Color;
out vec4 Out_Color;
void main() { Out_Color = Frag_Color; }
)";

enum Attrib : unsigned { kPosition = 0, kUV = 1, kColor = 2 };

unsigned compile(unsigned kind, const char* src) {
  unsigned s = gl.CreateShader(kind);
  gl.ShaderSource(s, 1, &src, nullptr);
  gl.CompileShader(s);
  int ok = 0;
  gl.GetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (ok) return s;
  gl.DeleteShader(s);
  return 0;
}

unsigned link(const char* vs, const char* fs) {
  unsigned v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
  if (v == 0 || f == 0) return 0;
  unsigned p = gl.CreateProgram();
  gl.AttachShader(p, v);
  gl.AttachShader(p, f);
  gl.BindAttribLocation(p, kPosition, "Position");
  gl.BindAttribLocation(p, kUV, "UV");
  gl.BindAttribLocation(p, kColor, "Color");
  gl.LinkProgram(p);
  gl.DeleteShader(v);
  gl.DeleteShader(f);
  int ok = 0;
  gl.GetProgramiv(p, GL_LINK_STATUS, &ok);
  if (ok) return p;
  gl.DeleteProgram(p);
  return 0;
}

// kSwitchPixels: how many pixels a cheaper state must draw to pay for changing to it
// and back. Measured with viewer_bench under llvmpipe: 300 to 3000 do about as well
// (a change costs some µs; a flat pixel saves 2 to 5 ns over a textured, blended one);
// 0 (every small triangle changes state) and 40000 are slower.
constexpr float kSwitchPixels = 2000;

}  // namespace

bool GlRenderer::init() {
  if (!gl.load()) return false;
  textured_.id = link(kVertexTextured, kFragmentTextured);
  solid_.id = link(kVertexSolid, kFragmentSolid);
  if (textured_.id == 0 || solid_.id == 0) return false;
  textured_.proj = gl.GetUniformLocation(textured_.id, "ProjMtx");
  solid_.proj = gl.GetUniformLocation(solid_.id, "ProjMtx");
  gl.UseProgram(textured_.id);
  gl.Uniform1i(gl.GetUniformLocation(textured_.id, "Texture"), 0);
  int major = 0, minor = 0;
  glGetIntegerv(GL_MAJOR_VERSION, &major);
  glGetIntegerv(GL_MINOR_VERSION, &minor);
  baseVertex_ = (major > 3 || (major == 3 && minor >= 2)) && gl.DrawElementsBaseVertex != nullptr;
  gl.GenVertexArrays(1, &vao_);
  gl.GenBuffers(1, &vbo_);
  gl.GenBuffers(1, &ebo_);
  gl.BindVertexArray(vao_);
  gl.BindBuffer(GL_ARRAY_BUFFER, vbo_);
  gl.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);
  gl.EnableVertexAttribArray(kPosition);
  gl.EnableVertexAttribArray(kUV);
  gl.EnableVertexAttribArray(kColor);
  auto at = [](size_t off) { return reinterpret_cast<const void*>(off); };
  gl.VertexAttribPointer(kPosition, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                         at(offsetof(ImDrawVert, pos)));
  gl.VertexAttribPointer(kUV, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                         at(offsetof(ImDrawVert, uv)));
  gl.VertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert),
                         at(offsetof(ImDrawVert, col)));
  gl.BindVertexArray(0);
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "gmpscope_gl3";
  if (baseVertex_) io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  return true;
}

void GlRenderer::shutdown() {
  destroyFontsTexture();
  if (vao_) gl.DeleteVertexArrays(1, &vao_);
  if (vbo_) gl.DeleteBuffers(1, &vbo_);
  if (ebo_) gl.DeleteBuffers(1, &ebo_);
  if (textured_.id) gl.DeleteProgram(textured_.id);
  if (solid_.id) gl.DeleteProgram(solid_.id);
  vao_ = vbo_ = ebo_ = 0;
  textured_ = solid_ = Program{};
}

void GlRenderer::createFontsTexture() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* px = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  glGenTextures(1, &font_);
  glBindTexture(GL_TEXTURE_2D, font_);
  // Bilinear, as ImGui's backend: the glyphs are oversampled horizontally.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, px);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(intptr_t(font_)));
}

void GlRenderer::destroyFontsTexture() {
  if (font_ == 0) return;
  glDeleteTextures(1, &font_);
  ImGui::GetIO().Fonts->SetTexID(nullptr);
  font_ = 0;
}

void GlRenderer::setupState(const ImDrawData& dd, int fbW, int fbH) {
  glEnable(GL_BLEND);
  gl.BlendEquation(GL_FUNC_ADD);
  gl.BlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glPolygonMode(GL_FRONT_AND_BACK, GL_FILL);
  glViewport(0, 0, fbW, fbH);
  const float l = dd.DisplayPos.x, r = l + dd.DisplaySize.x, t = dd.DisplayPos.y,
              b = t + dd.DisplaySize.y;
  const float ortho[16] = {2 / (r - l), 0, 0, 0,  0, 2 / (t - b),       0,
                           0,           0, 0, -1, 0, (r + l) / (l - r), (t + b) / (b - t),
                           0,           1};
  for (Program* p : {&solid_, &textured_}) {
    gl.UseProgram(p->id);
    gl.UniformMatrix4fv(p->proj, 1, GL_FALSE, ortho);
  }
  gl.ActiveTexture(GL_TEXTURE0);
  gl.BindVertexArray(vao_);
  at_ = FillState::None;
  gl_ = FillState::Textured;  // the textured program, blending on
  texture_ = 0;
}

void GlRenderer::use(FillState s) {
  if (s == gl_) return;
  if ((s == FillState::Textured) != (gl_ == FillState::Textured))
    gl.UseProgram(s == FillState::Textured ? textured_.id : solid_.id);
  if ((s == FillState::Opaque) != (gl_ == FillState::Opaque)) {
    if (s == FillState::Opaque)
      glDisable(GL_BLEND);
    else
      glEnable(GL_BLEND);
  }
  gl_ = s;
  stats_.changes++;
}

// drawCommand draws one command's triangles, run by run (core/draw_runs.h). Solid
// runs need the command's texture to be the font atlas, whose white texel the
// triangles name.
void GlRenderer::drawCommand(const ImDrawList& dl, const ImDrawCmd& c) {
  const auto tex = unsigned(reinterpret_cast<intptr_t>(c.TextureId));
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  const bool atlas = tex == font_;
  const unsigned n = c.ElemCount / 3;
  needs_.resize(n);
  areas_.resize(n);
  const ImDrawIdx* idx = dl.IdxBuffer.Data + c.IdxOffset;
  const ImDrawVert* vtx = dl.VtxBuffer.Data + c.VtxOffset;
  for (unsigned i = 0; i < n; i++) {
    const ImDrawVert& a = vtx[idx[3 * i]];
    const ImDrawVert& b = vtx[idx[3 * i + 1]];
    const ImDrawVert& d = vtx[idx[3 * i + 2]];
    auto flat = [&](const ImDrawVert& v) { return v.uv.x == white.x && v.uv.y == white.y; };
    auto opaque = [](const ImDrawVert& v) { return (v.col & IM_COL32_A_MASK) == IM_COL32_A_MASK; };
    FillState need = FillState::Textured;
    if (atlas && flat(a) && flat(b) && flat(d))
      need = opaque(a) && opaque(b) && opaque(d) ? FillState::Opaque : FillState::Solid;
    needs_[i] = need;
    areas_[i] = std::fabs((b.pos.x - a.pos.x) * (d.pos.y - a.pos.y) -
                          (d.pos.x - a.pos.x) * (b.pos.y - a.pos.y)) /
                2;
  }
  planRuns(needs_, areas_, kSwitchPixels, at_, runs_);
  if (tex != texture_) {
    glBindTexture(GL_TEXTURE_2D, tex);
    texture_ = tex;
  }
  const GLenum type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
  for (const DrawRun& r : runs_) {
    use(r.state);
    for (uint32_t i = r.first; i < r.first + r.count; i++) stats_.pixels[int(r.state)] += areas_[i];
    const void* first =
        reinterpret_cast<const void*>(size_t(c.IdxOffset + 3 * r.first) * sizeof(ImDrawIdx));
    if (baseVertex_)
      gl.DrawElementsBaseVertex(GL_TRIANGLES, GLsizei(3 * r.count), type, first,
                                GLint(c.VtxOffset));
    else
      glDrawElements(GL_TRIANGLES, GLsizei(3 * r.count), type, first);
  }
}

void GlRenderer::drawList(const ImDrawList& dl, const ImDrawData& dd, int fbW, int fbH) {
  gl.BufferData(GL_ARRAY_BUFFER, GLsizeiptr(dl.VtxBuffer.Size) * GLsizeiptr(sizeof(ImDrawVert)),
                dl.VtxBuffer.Data, GL_STREAM_DRAW);
  gl.BufferData(GL_ELEMENT_ARRAY_BUFFER,
                GLsizeiptr(dl.IdxBuffer.Size) * GLsizeiptr(sizeof(ImDrawIdx)), dl.IdxBuffer.Data,
                GL_STREAM_DRAW);
  for (const ImDrawCmd& c : dl.CmdBuffer) {
    if (c.UserCallback != nullptr) {
      if (c.UserCallback == ImDrawCallback_ResetRenderState)
        setupState(dd, fbW, fbH);
      else
        c.UserCallback(&dl, &c);
      continue;
    }
    const ImVec2 off = dd.DisplayPos, scale = dd.FramebufferScale;
    const float x0 = (c.ClipRect.x - off.x) * scale.x, y0 = (c.ClipRect.y - off.y) * scale.y;
    const float x1 = (c.ClipRect.z - off.x) * scale.x, y1 = (c.ClipRect.w - off.y) * scale.y;
    if (x1 <= x0 || y1 <= y0) continue;
    glScissor(int(x0), int(float(fbH) - y1), int(x1 - x0), int(y1 - y0));
    drawCommand(dl, c);
  }
}

void GlRenderer::render(const ImDrawData& dd) {
  const int fbW = int(dd.DisplaySize.x * dd.FramebufferScale.x);
  const int fbH = int(dd.DisplaySize.y * dd.FramebufferScale.y);
  if (fbW <= 0 || fbH <= 0) return;
  stats_ = Stats{};
  setupState(dd, fbW, fbH);
  for (int l = 0; l < dd.CmdListsCount; l++) drawList(*dd.CmdLists[l], dd, fbW, fbH);
  // Leave GL as ImGui's backend leaves it: blending on, and no scissor to clip the
  // next frame's clear.
  use(FillState::Textured);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace gmps::viewer
