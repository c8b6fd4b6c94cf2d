package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code berth image}: the calls it makes (the repository as one encoded segment) and the tables it prints. */
class ImageCommandTest {
  final FakeApi api = new FakeApi();

  ImageCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void lsPrintsRepositoriesTheirVisibilityAndTags() {
    api.on("GET /v1/images", """
        [{"name": "team/app", "public": false, "tags": ["v1", "v2"]}, {"name": "pub/base", "public": true, "tags": []}]""");
    FakeApi.Result r = api.ok("image", "ls");
    assertThat(r.out()).isEqualTo("""
        REPOSITORY   VISIBILITY   TAGS
        team/app     private      v1,v2
        pub/base     public       -
        """);
  }

  @Test
  void tagsNamesTheRepositoryAsOneEncodedSegment() {
    api.on("GET /v1/images/team%2Fapp/tags", """
        [{"tag": "v1", "digest": "sha256:abc", "size": 1234567}]""");
    FakeApi.Result r = api.ok("image", "tags", "team/app");
    assertThat(r.out()).isEqualTo("TAG   DIGEST       SIZE\nv1    sha256:abc   1.23MB\n");
  }

  @Test
  void rmSaysWhichTagsWentWithTheManifest() {
    api.on("DELETE /v1/images/team%2Fapp/tags/v1", """
        {"repository": "team/app", "tag": "v1", "digest": "sha256:abc", "deleted_tags": ["latest", "v1"]}""");
    FakeApi.Result r = api.ok("image", "rm", "team/app:v1");
    assertThat(r.out()).isEqualTo("deleted sha256:abc from team/app: tags latest, v1\n");
    assertThat(api.berth("image", "rm", "team/app").err()).contains("name a tag as REPO:TAG (e.g. team/app:v1), not 'team/app'");
    assertThat(api.berth("image", "rm", "127.0.0.1:5000/team/app").err()).contains("name a tag as REPO:TAG");
  }

  @Test
  void visibilityPutsTheFlagAndADenialIsOneSentence() {
    api.on("PUT /v1/images/team%2Fapp/visibility", """
        {"name": "team/app", "public": true, "tags": ["v1"]}""");
    FakeApi.Result r = api.ok("image", "visibility", "team/app", "public");
    assertThat(r.out()).isEqualTo("team/app: public\n");
    assertThat(api.calls("PUT", "/v1/images/team%2Fapp/visibility").get(0).body()).isEqualTo("{\"public\": true}");
    api.on("PUT /v1/images/team%2Fother/visibility", 403, """
        {"name": "Forbidden", "message": "alice may not change the visibility of repo team/other: she is a developer (visibility needs master)"}""");
    FakeApi.Result denied = api.berth("image", "visibility", "team/other", "private");
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.err()).contains("alice may not change the visibility of repo team/other");
    assertThat(api.berth("image", "visibility", "team/app", "open").err()).contains("visibility is public or private, not 'open'");
  }
}
